#!/bin/sh
# checksums.sh itself: it passes a directory its CHECKSUMS describes, and fails one with a changed
# byte, a missing file, an unlisted file, a symbolic link or a path leading out of the directory.
#   sh selftest.sh path/to/checksums.sh
set -u
check=${1:?usage: selftest.sh CHECKSUMS_SH}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

fresh() {
	rm -rf "$tmp/d" && mkdir -p "$tmp/d/sub" &&
		printf 'id,path\nx,sub/a.csv\n' >"$tmp/d/CATALOG.csv" &&
		printf 'a,b\n1,2\n' >"$tmp/d/sub/a.csv" &&
		(cd "$tmp/d" && sha256sum CATALOG.csv sub/a.csv >CHECKSUMS)
}
expect() { # expect PASS|FAIL WHAT
	if sh "$check" "$tmp/d" >"$tmp/out" 2>&1; then got=PASS; else got=FAIL; fi
	if [ "$got" != "$1" ]; then
		echo "selftest: $2: checksums.sh gave $got, expected $1" >&2
		sed 's/^/  /' "$tmp/out" >&2
		fail=1
	fi
}

fresh && expect PASS "a directory as listed"
fresh && printf 'a,b\n1,3\n' >"$tmp/d/sub/a.csv" && expect FAIL "a changed byte"
fresh && rm "$tmp/d/sub/a.csv" && expect FAIL "a missing file"
fresh && : >"$tmp/d/sub/new.csv" && expect FAIL "an unlisted file"
fresh && : >"$tmp/d/.hidden" && expect FAIL "an unlisted hidden file"
fresh && ln -s a.csv "$tmp/d/sub/link.csv" && expect FAIL "an unlisted symbolic link"
fresh && echo "$(sha256sum <"$tmp/d/sub/a.csv" | cut -c1-64)  ../d/sub/a.csv" >>"$tmp/d/CHECKSUMS" &&
	expect FAIL "a path leading out of the directory"
fresh && rm "$tmp/d/CHECKSUMS" && expect FAIL "no CHECKSUMS"

[ "$fail" = 0 ] && echo "selftest: checksums.sh passes and fails as it should"
exit "$fail"
