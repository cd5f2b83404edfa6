"""Loads a model from an MLflow registry the way a Python user would and prints its predictions.

    python mlflow_load_check.py --tracking-uri http://127.0.0.1:5500 --model-uri models:/NAME@champion --rows rows.csv

rows.csv has a header of feature names and one row per prediction; an empty cell is a missing value.
Prints one JSON document: {"lightgbm": [...], "pyfunc": [...], "mlflowVersion": "...", "lightgbmVersion": "..."}.
Both lists hold what the loader returns for a Booster: for a binary objective, probabilities (not raw
scores). Floats are printed with repr, so they round-trip exactly for a 1e-12 comparison.
Run it with the venv's python of the server it talks to (BULLPEN_MLFLOW3_PYTHON / BULLPEN_MLFLOW2_PYTHON).
Any failure exits 1 with the Python error on stderr.
"""

import argparse
import json
import math
import sys
import traceback


def as_list(predictions):
    import numpy as np

    values = np.asarray(predictions, dtype=np.float64)
    # A binary or regression Booster predicts one value per row; multiclass would be rows x classes.
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    out = values.tolist()
    flat = out if values.ndim == 1 else [v for row in out for v in row]
    if not all(math.isfinite(v) for v in flat):
        raise ValueError("a prediction is NaN or infinite")
    return out


def main(result):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--model-uri", required=True, help="e.g. models:/NAME@champion or models:/NAME/1")
    parser.add_argument("--rows", required=True, help="CSV of feature rows, header = feature names")
    args = parser.parse_args()

    import lightgbm
    import mlflow
    import mlflow.lightgbm
    import mlflow.pyfunc
    import numpy as np
    import pandas as pd

    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_registry_uri(args.tracking_uri)

    # Before pandas 3 the default float parser can be off by one ulp (which a 1e-12 comparison could see);
    # pandas 3 parses exactly by default and deprecates the option.
    exact = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
    rows = pd.read_csv(args.rows, dtype=np.float64, **exact)

    booster = mlflow.lightgbm.load_model(args.model_uri)
    names = booster.feature_name()
    if sorted(names) != sorted(rows.columns):
        raise ValueError(f"the CSV's columns {list(rows.columns)} are not the model's features {names}")
    # The Booster reads columns by position: put them in the model's order.
    lightgbm_predictions = as_list(booster.predict(rows[names]))

    pyfunc_model = mlflow.pyfunc.load_model(args.model_uri)
    # pyfunc matches columns by name through the signature (when there is one) and enforces its types.
    pyfunc_predictions = as_list(pyfunc_model.predict(rows))

    json.dump(
        {
            "lightgbm": lightgbm_predictions,
            "pyfunc": pyfunc_predictions,
            "mlflowVersion": mlflow.__version__,
            "lightgbmVersion": lightgbm.__version__,
        },
        result,
        allow_nan=False,
    )
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
