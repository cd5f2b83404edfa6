"""The Optuna + Python LightGBM side of bench/sweeps.ts.

Tunes LightGBM on the matrix and folds bench/sweeps/exportMatrix.ts wrote (the same rows Bullpen's sweep
trains on), the way an Optuna user writes it: per trial and fold, lgb.Dataset of the fold's fit rows and
of its inner hold-out (reference = the fit set), lgb.train with early stopping on the hold-out, the fold's
test log loss; the objective is the mean over the folds. Datasets are built per fold per trial (what
lgb.train users do), not reused across trials. Pruning mirrors Bullpen's default (median pruner at fold
ends on the running mean test log loss, 5 startup trials) with trial.report / trial.should_prune.

Prints one JSON document: the matrix check, the timings (seconds from before the Parquet read), every
trial with its state, value, parameters and finish time.
"""

import argparse
import datetime
import hashlib
import json
import sys
import time
import warnings

import numpy as np
import pyarrow.parquet as pq

LOG_LOSS_EPSILON = 1e-15  # Bullpen's compute/metrics clip
NUM_BOOST_ROUND = 1000
EARLY_STOPPING_ROUNDS = 50


def matrix_checksum(x, y):
    """sha256 of features then labels as little-endian float64, every NaN canonical (as exportMatrix.ts)."""
    h = hashlib.sha256()
    for arr in (x, y):
        a = np.ascontiguousarray(arr, dtype="<f8").copy()
        a[np.isnan(a)] = np.nan  # numpy's NaN is the canonical quiet NaN 0x7ff8000000000000
        h.update(a.tobytes())
    return h.hexdigest()


def load(parquet_path, folds_path):
    table = pq.read_table(parquet_path)
    with open(folds_path) as f:
        spec = json.load(f)
    names = spec["featureNames"]
    x = np.column_stack([table.column(n).to_numpy(zero_copy_only=False).astype(np.float64) for n in names])
    y = table.column("label").to_numpy(zero_copy_only=False).astype(np.float64)
    rows = table.column("row").to_numpy(zero_copy_only=False)
    if not np.array_equal(rows, np.arange(len(rows))):
        raise SystemExit("the Parquet rows are not in matrix order")
    folds = [
        {
            "fit": np.asarray(f["fit"], dtype=np.int64),
            "inner": np.asarray(f["inner"], dtype=np.int64),
            "test": np.asarray(f["test"], dtype=np.int64),
        }
        for f in spec["folds"]
    ]
    return x, y, names, folds, spec


def log_loss(y, p):
    q = np.clip(p, LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON)
    return float(-np.mean(np.where(y == 1, np.log(q), np.log(1 - q))))


def base_params(seed):
    """What every trial starts from: Bullpen's sweepBaseParams (src-main/engine/sweeps/sweepSetup.ts), one thread."""
    return {
        "objective": "binary",
        "metric": "binary_logloss",
        "deterministic": True,
        "force_col_wise": True,
        "feature_pre_filter": False,
        "verbosity": -1,
        "seed": seed,
        "num_threads": 1,
    }


def cv_fold(lgb, params, x, y, names, fold):
    """One fold as an lgb.train user writes it: Datasets of the fold's rows, early stopping on the inner hold-out."""
    fit, inner, test = fold["fit"], fold["inner"], fold["test"]
    dtrain = lgb.Dataset(x[fit], label=y[fit], feature_name=names)
    dvalid = lgb.Dataset(x[inner], label=y[inner], reference=dtrain)
    booster = lgb.train(
        params,
        dtrain,
        num_boost_round=NUM_BOOST_ROUND,
        valid_sets=[dvalid],
        valid_names=["valid"],
        callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, first_metric_only=True, verbose=False)],
    )
    pred = booster.predict(x[test], num_iteration=booster.best_iteration)
    return log_loss(y[test], pred), booster.best_iteration


def make_objective(x, y, names, folds, seed, prune):
    import lightgbm as lgb
    import optuna

    def objective(trial):
        params = {
            **base_params(seed),
            # The default search space (src-main/shared/sweep/distributions.ts), in its order.
            "num_leaves": trial.suggest_int("num_leaves", 10, 300),
            "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.3, log=True),
            "feature_fraction": trial.suggest_float("feature_fraction", 0.4, 1.0),
            "bagging_fraction": trial.suggest_float("bagging_fraction", 0.4, 1.0),
            "bagging_freq": trial.suggest_int("bagging_freq", 1, 7),
            "min_child_samples": trial.suggest_int("min_child_samples", 5, 100),
            "max_depth": trial.suggest_int("max_depth", 3, 15),
            "reg_alpha": trial.suggest_float("reg_alpha", 0.0, 10.0),
            "reg_lambda": trial.suggest_float("reg_lambda", 0.0, 10.0),
        }
        losses = []
        for k, fold in enumerate(folds):
            losses.append(cv_fold(lgb, params, x, y, names, fold)[0])
            if prune and k < len(folds) - 1:
                trial.report(float(np.mean(losses)), step=k)
                if trial.should_prune():
                    raise optuna.TrialPruned()
        trial.set_user_attr("fold_log_loss", losses)
        return float(np.mean(losses))

    return objective


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--parquet", required=True)
    ap.add_argument("--folds", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sampler", choices=["tpe", "random"], default="tpe")
    ap.add_argument("--pruner", choices=["median", "none"], default="median")
    ap.add_argument("--check-only", action="store_true", help="read the matrix and print the check, train nothing")
    ap.add_argument("--evaluate", help="a JSON object of trial parameters: run this objective's CV once on them, no study")
    args = ap.parse_args()

    origin_wall = datetime.datetime.now()
    t0 = time.perf_counter()
    x, y, names, folds, spec = load(args.parquet, args.folds)
    load_s = time.perf_counter() - t0
    check = {
        "rows": int(x.shape[0]),
        "cols": int(x.shape[1]),
        "checksum": matrix_checksum(x, y),
        "expectedChecksum": spec["checksum"],
        "foldSizes": [{"fit": len(f["fit"]), "inner": len(f["inner"]), "test": len(f["test"])} for f in folds],
    }
    if args.check_only:
        json.dump({"check": check, "loadSeconds": load_s}, sys.stdout)
        return

    import lightgbm
    import optuna

    if args.evaluate:
        params = {**base_params(args.seed), **json.loads(args.evaluate)}
        started = time.perf_counter()
        folds_out = [cv_fold(lightgbm, params, x, y, names, fold) for fold in folds]
        losses = [loss for loss, _ in folds_out]
        json.dump(
            {
                "check": check,
                "value": float(np.mean(losses)),
                "foldLogLoss": losses,
                "bestIterations": [it for _, it in folds_out],
                "seconds": time.perf_counter() - started,
            },
            sys.stdout,
        )
        return

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    if args.sampler == "tpe":
        sampler = optuna.samplers.TPESampler(seed=args.seed, multivariate=True, constant_liar=True)
    else:
        sampler = optuna.samplers.RandomSampler(seed=args.seed)
    pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0) if args.pruner == "median" else optuna.pruners.NopPruner()
    study = optuna.create_study(direction="minimize", sampler=sampler, pruner=pruner)
    objective = make_objective(x, y, names, folds, args.seed, args.pruner == "median")
    opt_start = time.perf_counter() - t0
    study.optimize(objective, n_trials=args.trials, n_jobs=args.jobs)
    wall_s = time.perf_counter() - t0

    def rel(dt):
        return None if dt is None else (dt - origin_wall).total_seconds()

    trials = [
        {
            "number": t.number,
            "state": t.state.name.lower(),
            "value": t.value,
            "params": t.params,
            "startSeconds": rel(t.datetime_start),
            "endSeconds": rel(t.datetime_complete),
            "prunedAt": max(t.intermediate_values) if t.state == optuna.trial.TrialState.PRUNED and t.intermediate_values else None,
        }
        for t in study.trials
    ]
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = min(complete, key=lambda t: t.value) if complete else None
    json.dump(
        {
            "check": check,
            "versions": {"optuna": optuna.__version__, "lightgbm": lightgbm.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
            "seed": args.seed,
            "sampler": args.sampler,
            "pruner": args.pruner,
            "jobs": args.jobs,
            "loadSeconds": load_s,
            "optimizeStartSeconds": opt_start,
            "wallSeconds": wall_s,
            "best": None if best is None else {"number": best.number, "value": best.value, "params": best.params},
            "trials": trials,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
