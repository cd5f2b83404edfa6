"""Logs a small binary LightGBM model to an MLflow server with MLflow's own Python client, registers it as
NAME with the alias champion, and writes the feature rows it was scored on. Used by the servers' smoke test
to prove a server, its proxied artifacts and mlflow_load_check.py work before Bullpen's exporter is involved.

    python mlflow_log_fixture.py --tracking-uri URI --name NAME --rows-out rows.csv

Prints {"modelUri": "models:/NAME@champion", "predictions": [...]} (the Booster's own probabilities).
"""

import argparse
import json
import sys
import traceback


def main(result):
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--rows-out", required=True)
    args = parser.parse_args()

    import lightgbm
    import mlflow
    import mlflow.lightgbm
    import numpy as np
    import pandas as pd
    from mlflow.models import infer_signature
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_registry_uri(args.tracking_uri)

    rng = np.random.default_rng(7)
    features = pd.DataFrame(rng.normal(size=(400, 3)), columns=["home_elo", "away_elo", "rest_days"])
    # A numpy label: lightgbm 4.1.0 calls np.array(copy=False) on a pandas Series, which numpy 2 refuses.
    label = (features["home_elo"] - features["away_elo"] + rng.normal(scale=0.5, size=400) > 0).to_numpy(dtype=np.float64)
    params = {"objective": "binary", "num_leaves": 7, "learning_rate": 0.1, "verbose": -1, "deterministic": True}
    booster = lightgbm.train(params, lightgbm.Dataset(features, label), num_boost_round=20)

    rows = features.head(25)
    predictions = booster.predict(rows)
    mlflow.set_experiment(f"{args.name}-experiment")
    with mlflow.start_run():
        # MLflow 3 renamed artifact_path to name; both accept it positionally.
        mlflow.lightgbm.log_model(
            booster,
            "model",
            signature=infer_signature(rows, predictions),
            registered_model_name=args.name,
        )
    client = MlflowClient()
    version = max(int(v.version) for v in client.search_model_versions(f"name='{args.name}'"))
    client.set_registered_model_alias(args.name, "champion", str(version))

    rows.to_csv(args.rows_out, index=False, float_format="%.17g")
    json.dump({"modelUri": f"models:/{args.name}@champion", "predictions": predictions.tolist()}, result)
    result.write("\n")


if __name__ == "__main__":
    # MLflow prints run links and notices to stdout; keep stdout for the one JSON document.
    result = sys.stdout
    sys.stdout = sys.stderr
    try:
        main(result)
    except Exception:  # noqa: BLE001 - the caller wants the Python error whatever it is
        traceback.print_exc(file=sys.stderr)
        sys.exit(1)
