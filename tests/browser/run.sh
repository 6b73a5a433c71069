#!/bin/sh
# ctest's browser test: run.sh BLOC OUTDIR. Skips (exit 77) without node, Debian's chromium or
# the npm packages (cd tests/browser && npm ci); .ci/run installs all three, so CI really runs it.
here=$(cd "$(dirname "$0")" && pwd)
bloc=$1
out=${2:-browser-out}
if ! command -v node >/dev/null 2>&1; then
	echo "browser: SKIP: node not found (apt-get install nodejs npm)"
	exit 77
fi
if [ ! -x /usr/bin/chromium ]; then
	echo "browser: SKIP: /usr/bin/chromium not found (apt-get install chromium)"
	exit 77
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "browser: SKIP: playwright-core not installed (cd tests/browser && npm ci)"
	exit 77
fi
exec node "$here/test.mjs" --bloc "$bloc" --out "$out" ${BLOC_DATA:+--data "$BLOC_DATA"} ${BLOC_REPORT:+--report "$BLOC_REPORT"}
