#!/bin/sh
# examples/project.c, linked against libbloc.so, prints what the CLI prints for the same question.
#   sh example.sh EXAMPLE BLOC          (BLOC_DATA set)
set -u
ex=${1:?usage: example.sh EXAMPLE BLOC} bloc=${2:?}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$ex" >"$tmp/example.csv" || { echo "example: $ex failed" >&2; exit 1; }
"$bloc" project ge2024 --shares LAB=30,CON=22,REF=20 --format csv >"$tmp/cli.csv" || exit 1
[ -s "$tmp/cli.csv" ] || { echo "example: the CLI printed nothing" >&2; exit 1; }
diff "$tmp/cli.csv" "$tmp/example.csv" >&2 || { echo "example: the example and the CLI differ" >&2; exit 1; }
echo "example: $(wc -l <"$tmp/example.csv") lines, as the CLI"
