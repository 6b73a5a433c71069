#!/bin/sh
# The project's data/ is the public data it was copied from, byte for byte: where the upstream
# directory (../shared/data beside the repository, or $1) is present, every file of either is in
# the other with the same bytes (data/CHECKSUMS, the project's own list, aside). Without it there
# is nothing to compare: the test says so and is skipped (exit 77).
#   sh tests/data/upstream.sh DATA_DIR [UPSTREAM_DIR]
set -eu
data=$1
up=${2:-$data/../../shared/data}
if [ ! -d "$up" ]; then
	echo "upstream: no $up to compare with: skipped"
	exit 77
fi
out=$(diff -r -q -x CHECKSUMS "$up" "$data" 2>&1) || {
	echo "upstream: data/ differs from $up (change the data upstream first, then copy it in):" >&2
	echo "$out" >&2
	exit 1
}
echo "upstream: data/ is $up, byte for byte"
