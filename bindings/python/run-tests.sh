#!/usr/bin/env bash
# The Python binding's test run: a virtual environment in bindings/python/.venv (ignored by
# git), the test tools from PyPI, the extension built into it, then pytest (every shared
# vector file through the Python API, plus the API-surface tests) and mypy --strict on the
# public package, the API tests and the Python quickstart. Needs Python ≥ 3.10, pip and cargo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

python="${PYTHON:-python3}"
venv="${CRM_PY_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$python" -m venv "$venv"
fi
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"

echo "== installing the test tools (maturin, pytest, mypy, numpy, pandas, polars, pyarrow)"
python -m pip install --quiet --disable-pip-version-check --upgrade \
  "maturin>=1.7,<2" pytest mypy numpy pandas pandas-stubs polars pyarrow

echo "== building the extension into the venv (release)"
maturin develop --release --locked --quiet

echo "== pytest: shared vectors and the Python API"
python -m pytest -q "$here/tests"

echo "== mypy --strict: the package, the API and store tests and the quickstart"
(cd "$here" && python -m mypy --strict python/realestate_crm tests/test_api.py tests/test_store.py "$root/examples/python/quickstart.py")

echo "== the Python quickstart runs"
python "$root/examples/python/quickstart.py" > /dev/null
echo "Python binding: all checks passed"
