#!/bin/sh
# libbloc.so exports the public API and nothing else: every dynamic symbol it defines is a bloc_*
# function listed in the version script (the functions of include/bloc/*.h), none is a
# library-internal bloc__* one, and every listed function that libbloc.a defines is exported.
#   sh exports.sh LIBBLOC_SO LIBBLOC_A VERSION_SCRIPT      (exit 77 without nm)
set -u
so=${1:?usage: exports.sh LIBBLOC_SO LIBBLOC_A VERSION_SCRIPT} a=${2:?} map=${3:?}
command -v nm >/dev/null || { echo "exports: nm not found (binutils): skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

nm -D --defined-only "$so" | awk '{print $NF}' | sed 's/@.*//' | grep -vxE '_init|_fini' |
	LC_ALL=C sort -u >"$tmp/exported"
sed -n 's/^\t\(bloc_[a-z0-9_]*\);$/\1/p' "$map" | LC_ALL=C sort -u >"$tmp/listed"
nm -g --defined-only "$a" 2>/dev/null | awk 'NF == 3 && $2 == "T" {print $3}' | LC_ALL=C sort -u >"$tmp/defined"

[ -s "$tmp/exported" ] || { echo "exports: $so exports nothing" >&2; exit 1; }
if grep -E '^bloc__' "$tmp/exported" >"$tmp/bad"; then
	sed 's/^/exports: library-internal function exported: /' "$tmp/bad" >&2
	fail=1
fi
LC_ALL=C comm -23 "$tmp/exported" "$tmp/listed" >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	sed 's/^/exports: exported but not declared in include\/bloc: /' "$tmp/bad" >&2
	fail=1
fi
LC_ALL=C comm -12 "$tmp/listed" "$tmp/defined" | LC_ALL=C comm -23 - "$tmp/exported" >"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	sed 's/^/exports: public function not exported: /' "$tmp/bad" >&2
	fail=1
fi
hidden=$(grep -c '^bloc__' "$tmp/defined")
[ "$fail" = 0 ] && echo "exports: $(wc -l <"$tmp/exported") public functions exported, $hidden bloc__ functions hidden"
exit "$fail"
