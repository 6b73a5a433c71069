#!/bin/sh
# The data shipped with bloc is the data its CHECKSUMS lists, byte for byte: every listed file is
# there with its sha256, and every file under the directory (but CHECKSUMS) is listed.
#   sh checksums.sh DATA_DIR        exit 0 when both hold, 1 otherwise (each problem on stderr)
# To list a new file: (cd data && find . -type f ! -name CHECKSUMS | sed 's|^\./||' |
#   LC_ALL=C sort | xargs sha256sum > CHECKSUMS)
set -u
dir=${1:?usage: checksums.sh DATA_DIR}
sums="$dir/CHECKSUMS"
fail=0
[ -f "$sums" ] || { echo "checksums: $sums: no such file" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "checksums: sha256sum not found (coreutils)" >&2; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Each line is "<64 hex digits>  <relative path>", the path inside the directory.
if grep -nvE '^[0-9a-f]{64}  [^/\\][^\\]*$' "$sums" >"$tmp/bad"; then
	sed 's/^/checksums: CHECKSUMS:/; s/$/: expected "<sha256>  <relative path>"/' "$tmp/bad" >&2
	fail=1
fi
if grep -nE '  (.*/)?\.\.(/|$)' "$sums" >"$tmp/bad"; then
	sed 's/^/checksums: CHECKSUMS:/; s/$/: a path leading out of the directory/' "$tmp/bad" >&2
	fail=1
fi
[ "$fail" = 0 ] || exit 1

# Every listed file is there with the listed bytes.
if ! (cd "$dir" && sha256sum --check --strict --quiet CHECKSUMS) >"$tmp/check" 2>&1; then
	sed 's/^/checksums: /' "$tmp/check" >&2
	fail=1
fi

# Every file is listed, and nothing but regular files and directories is there.
sed 's/^[0-9a-f]*  //' "$sums" | LC_ALL=C sort >"$tmp/listed"
(cd "$dir" && find . ! -type d ! -path ./CHECKSUMS) | sed 's|^\./||' | LC_ALL=C sort >"$tmp/present"
LC_ALL=C comm -13 "$tmp/listed" "$tmp/present" >"$tmp/unlisted"
if [ -s "$tmp/unlisted" ]; then
	sed 's/^/checksums: not in CHECKSUMS: /' "$tmp/unlisted" >&2
	fail=1
fi
if (cd "$dir" && find . ! -type d ! -type f) | grep . >"$tmp/odd"; then
	sed 's/^/checksums: not a regular file: /' "$tmp/odd" >&2
	fail=1
fi
if [ "$(uniq -d "$tmp/listed" | head -1)" ]; then
	uniq -d "$tmp/listed" | sed 's/^/checksums: listed twice: /' >&2
	fail=1
fi

[ "$fail" = 0 ] && echo "checksums: $(wc -l <"$tmp/listed") files match $sums"
exit "$fail"
