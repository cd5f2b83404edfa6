#!/usr/bin/env bash
# The Python side of bench/sweeps.ts: a virtual environment with Optuna 5.0 and LightGBM 4.1 (PyPI wheels),
# made once and reused. Prints the environment's python path on stdout (progress goes to stderr).
# Override the location with BULLPEN_OPTUNA_VENV.
set -euo pipefail
VENV="${BULLPEN_OPTUNA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/bullpen-bench/optuna-venv}"
PY="$VENV/bin/python"
check='import optuna, lightgbm, numpy, pyarrow; assert optuna.__version__.startswith("5.0."), optuna.__version__; assert lightgbm.__version__.startswith("4.1."), lightgbm.__version__'
if [ -x "$PY" ] && "$PY" -c "$check" 2>/dev/null; then
  echo "$PY"
  exit 0
fi
echo "making the Optuna venv at $VENV" >&2
mkdir -p "$(dirname "$VENV")"
python3 -m venv "$VENV"
"$PY" -m pip install --quiet --disable-pip-version-check 'optuna==5.0.0' 'lightgbm==4.1.0' numpy pyarrow >&2
"$PY" -c "$check"
echo "$PY"
