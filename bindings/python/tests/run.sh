#!/bin/sh
# ctest python: bindings/python's pytest suite against a built shared libbloc and bloc command.
#   run.sh PYTHON LIBBLOC BLOC
# Exit 77 (skipped) without PYTHON, without its pytest (Debian: python3-pytest), or without a
# shared library (LIBBLOC empty or missing). BLOC_PY_INSTALLED=1 tests the installed module
# instead of this source tree's.
py=$1 lib=$2 cli=$3
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v "$py" >/dev/null 2>&1; then
	echo "python: $py not found: skipped"
	exit 77
fi
if ! "$py" -c 'import pytest' 2>/dev/null; then
	echo "python: $py has no pytest (apt-get install python3-pytest): skipped"
	exit 77
fi
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
	echo "python: no libbloc.so to load (an ASan build: its runtime cannot be loaded into Python): skipped"
	exit 77
fi
BLOC_LIB=$lib BLOC_CLI=$cli PYTHONDONTWRITEBYTECODE=1
export BLOC_LIB BLOC_CLI PYTHONDONTWRITEBYTECODE
exec "$py" -m pytest -q -p no:cacheprovider "$here"
