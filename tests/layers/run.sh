#!/bin/sh
# The layering of docs/design.md, checked on the sources:
#  1. a folder of src/lib/ includes the private headers of the folders below it only (the arrows
#     point down), so no two folders include each other;
#  2. no file under src/lib/ outside io/, store/ and util/ opens a file or parses a text format
#     (fopen, open_memstream aside; jansson's readers; the CSV reader; strtod and friends);
#  3. the front-ends (cli/, server/) include only the public headers (and the server's own).
#   sh run.sh SOURCE_DIR
set -u
src=${1:?usage: run.sh SOURCE_DIR}/src
failed=0
fail() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# The order of the parts, lowest first; a part may include the private headers of those before it.
order="core util data io analysis project power ei forecast simulate render store query"
rank() {
	i=0
	for p in $order; do
		[ "$p" = "$1" ] && {
			echo $i
			return
		}
		i=$((i + 1))
	done
	echo -1
}
# models (analysis, project, power, ei) sit side by side: none includes another's private header,
# nor io/ or store/ (their files come through the store)
model() { case $1 in analysis | project | power | ei | forecast | simulate) return 0 ;; esac; return 1; }

for dir in "$src"/lib/*/; do
	part=$(basename "$dir")
	r=$(rank "$part")
	[ "$r" -ge 0 ] || fail "src/lib/$part: a part docs/design.md does not list"
	for f in "$dir"*.c "$dir"*.h; do
		[ -e "$f" ] || continue
		grep -o '#include "\.\./[a-z]*/' "$f" | sed 's|#include "\.\./||; s|/||' | sort -u |
			while read -r dep; do
				d=$(rank "$dep")
				if [ "$d" -ge "$r" ] || { model "$part" && model "$dep"; } ||
					{ model "$part" && { [ "$dep" = io ] || [ "$dep" = store ]; }; }; then
					echo "FAIL: ${f#"$src"/} includes ../$dep/ (the arrows point down: $order)"
				fi
			done
	done
done >"${TMPDIR:-/tmp}/layers.$$"
while read -r line; do fail "${line#FAIL: }"; done <"${TMPDIR:-/tmp}/layers.$$"
rm -f "${TMPDIR:-/tmp}/layers.$$"

# 2. text formats and files: io/, store/ and util/ only
for f in $(find "$src/lib" -name '*.c' | sort); do
	case $f in "$src"/lib/io/* | "$src"/lib/store/* | "$src"/lib/util/*) continue ;; esac
	hits=$(grep -nE '\b(fopen|fdopen|json_load[a-z]*|json_loadb|bloc_csv_open[a-z_]*|strto[dlfu][a-z]*|sscanf|fscanf|atoi|atof)\(' "$f" |
		grep -v '^\s*[0-9]*:\s*/\?\*')
	[ -n "$hits" ] && fail "${f#"$src"/} reads a file or parses text: $(echo "$hits" | head -3 | tr '\n' ' ')"
done

# 3. front-ends use the public headers
for f in "$src"/cli/*.c "$src"/cli/*.h "$src"/server/*.c "$src"/server/*.h; do
	bad=$(grep -n '#include "\.\./lib/\|#include "lib/' "$f")
	[ -n "$bad" ] && fail "${f#"$src"/} includes a library-internal header: $bad"
done

echo "layers: $failed problem(s)"
[ "$failed" -eq 0 ]
