"""Reads a Bullpen sweep export the way a Python user would and prints what Optuna sees.

    python3 optuna_load_check.py JOURNAL_FILE

Loads the file with optuna.load_study(storage=JournalStorage(JournalFileBackend(path))) and prints one
JSON document: {"optunaVersion", "studyName", "directions", "metricNames", "userAttrs", "trials": [{number,
state, params, distributions, values, intermediate_values, user_attrs, datetime_start, datetime_complete}],
"best", "continued"}. Each trial is also checked with FrozenTrial._validate (the consistency Optuna demands
of a trial added to a study). "continued" is a trial asked of the study with TPE on a copy of the file, so
Optuna's own sampler reads every trial's parameters and distributions and numbers the next trial.
Non-finite floats are printed as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
Any failure exits 1 with the Python error on stderr.
"""

import json
import math
import shutil
import sys
import traceback


def finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def main(path):
    import optuna
    from optuna.distributions import distribution_to_json
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=None, storage=JournalStorage(JournalFileBackend(path)))
    trials = []
    for t in study.get_trials(deepcopy=False):
        t._validate()
        trials.append(
            {
                "number": t.number,
                "state": t.state.name,
                "params": t.params,
                "distributions": {k: json.loads(distribution_to_json(d)) for k, d in t.distributions.items()},
                "values": t.values,
                "intermediate_values": t.intermediate_values,
                "user_attrs": t.user_attrs,
                "datetime_start": t.datetime_start.isoformat() if t.datetime_start else None,
                "datetime_complete": t.datetime_complete.isoformat() if t.datetime_complete else None,
            }
        )
    if len(study.directions) == 1:
        best = [study.best_trial.number] if any(t["state"] == "COMPLETE" for t in trials) else []
    else:
        best = sorted(t.number for t in study.best_trials)

    # Continue on a copy, so the export under test is left as written.
    copy = path + ".continued"
    shutil.copyfile(path, copy)
    continued_study = optuna.load_study(
        study_name=None,
        storage=JournalStorage(JournalFileBackend(copy)),
        sampler=optuna.samplers.TPESampler(seed=0, n_startup_trials=0),
    )
    completed = [t for t in continued_study.get_trials() if t.state == optuna.trial.TrialState.COMPLETE]
    fixed = dict(completed[0].distributions) if completed else {}
    asked = continued_study.ask(fixed_distributions=fixed)
    continued = {"number": asked.number, "params": asked.params}

    print(
        json.dumps(
            finite(
                {
                    "optunaVersion": optuna.__version__,
                    "studyName": study.study_name,
                    "directions": [d.name for d in study.directions],
                    "metricNames": study.metric_names,
                    "userAttrs": study.user_attrs,
                    "trials": trials,
                    "best": best,
                    "continued": continued,
                }
            ),
            allow_nan=False,
        )
    )


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception:
        traceback.print_exc()
        sys.exit(1)
