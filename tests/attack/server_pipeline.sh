#!/usr/bin/env bash
# bloc serve under attack: the case 'pipeline' of server.py (its docstring says what it checks).
#   bash server_pipeline.sh BLOC SOURCE_DIR     exit 0 pass, 1 fail, 77 skip (no python3)
command -v python3 >/dev/null || { echo "skip: python3 is not installed"; exit 77; }
exec python3 "$2/tests/attack/server.py" pipeline "$1"
