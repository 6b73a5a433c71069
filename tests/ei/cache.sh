#!/bin/sh
# bloc ei CONTEST --groups G --method rxc --by seat through the EI cache: the first run writes
# it, the next reads it (the same rows, in a fraction of the time), --no-cache neither reads nor
# writes, a corrupt file is recomputed, a cache that cannot be written is a warning, and the
# directory is $BLOC_CACHE, else $XDG_CACHE_HOME/bloc, else ~/.cache/bloc. A short run on GE2019
# (about 2 s); every cache directory is in the scratch directory.
#   sh cache.sh BLOC
set -u
bloc=${1:?usage: cache.sh BLOC}
. "$(dirname "$0")/../checks.sh"

args="ei ge2019 --groups muslim --method rxc --by seat --draws 200 --chains 2 --burnin 100 --format json"

# run NAME [ENV=VALUE...]: bloc $args into $tmp/NAME.json and $tmp/NAME.err, its rows into
# $tmp/NAME.rows and its cache metadata into $tmp/NAME.cache; fails unless it exits 0
run() {
	name=$1
	shift
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	if ! env "$@" "$bloc" $args >"$tmp/$name.json" 2>"$tmp/$name.err"; then
		fail "$name: exit $?: $(cat "$tmp/$name.err")"
		return 1
	fi
	tail -n +2 "$tmp/$name.json" >"$tmp/$name.rows"
	sed -n 's/.*"cache":"\([^"]*\)".*/\1/p' "$tmp/$name.json" >"$tmp/$name.cache"
}

now() { date +%s%N; }

cache="$tmp/cache"
t0=$(now)
if run first BLOC_CACHE="$cache"; then
	t1=$(now)
	grep -q '^written ei-ge2019-muslim-[0-9a-f]\{16\}\.txt$' "$tmp/first.cache" ||
		fail "first run: cache '$(cat "$tmp/first.cache")', expected written ei-ge2019-muslim-KEY.txt"
	file=$(sed 's/^written //' "$tmp/first.cache")
	[ -f "$cache/$file" ] || fail "first run: $cache/$file not written"
	[ "$(ls "$cache")" = "$file" ] || fail "first run: the cache holds $(ls "$cache"), expected $file only"
	grep -q '"draws_per_chain":200' "$tmp/first.json" || fail "first run: not 200 draws per chain"

	if run hit BLOC_CACHE="$cache"; then
		t2=$(now)
		[ "$(cat "$tmp/hit.cache")" = "hit $file" ] || fail "second run: cache '$(cat "$tmp/hit.cache")', expected hit $file"
		cmp -s "$tmp/first.rows" "$tmp/hit.rows" || fail "second run: rows differ from the first"
		grep -q 'not converged' "$tmp/hit.err" || fail "second run: the not-converged warning is lost"
		run_ms=$(((t1 - t0) / 1000000))
		hit_ms=$(((t2 - t1) / 1000000))
		echo "GE2019 muslim, 200 draws x 2 chains: first run ${run_ms} ms, cache hit ${hit_ms} ms"
		[ "$hit_ms" -lt 5000 ] && [ "$hit_ms" -lt "$run_ms" ] || fail "cache hit took ${hit_ms} ms (the run ${run_ms} ms)"
	fi

	# --no-cache: the same rows, nothing read or written
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	if env BLOC_CACHE="$tmp/none" "$bloc" $args --no-cache >"$tmp/off.json" 2>"$tmp/off.err"; then
		tail -n +2 "$tmp/off.json" | cmp -s - "$tmp/first.rows" || fail "--no-cache: rows differ"
		grep -q '"cache":"off"' "$tmp/off.json" || fail "--no-cache: no cache: off"
		[ -e "$tmp/none" ] && fail "--no-cache: created the cache directory"
	else
		fail "--no-cache: exit $?: $(cat "$tmp/off.err")"
	fi

	# the fallbacks, found by putting the file where each would look
	mkdir -p "$tmp/xdg/bloc" "$tmp/home/.cache/bloc"
	cp "$cache/$file" "$tmp/xdg/bloc/"
	cp "$cache/$file" "$tmp/home/.cache/bloc/"
	if run xdg -u BLOC_CACHE XDG_CACHE_HOME="$tmp/xdg" HOME="$tmp/nohome"; then
		[ "$(cat "$tmp/xdg.cache")" = "hit $file" ] || fail "\$XDG_CACHE_HOME/bloc: cache '$(cat "$tmp/xdg.cache")'"
	fi
	if run home -u BLOC_CACHE -u XDG_CACHE_HOME HOME="$tmp/home"; then
		[ "$(cat "$tmp/home.cache")" = "hit $file" ] || fail "~/.cache/bloc: cache '$(cat "$tmp/home.cache")'"
	fi

	# a corrupt file: recomputed (the same numbers: the same seed), said, and replaced
	sed 's/^seat E14000530 \([0-9]\)/seat E14000530 9\1/' "$cache/$file" >"$tmp/bad" && cp "$tmp/bad" "$cache/$file"
	cmp -s "$tmp/bad" "$tmp/xdg/bloc/$file" && fail "the corruption changed nothing"
	if run corrupt BLOC_CACHE="$cache"; then
		grep -q "warning: EI cache file .*$file: its checksum does not match; ignored and recomputed" "$tmp/corrupt.err" ||
			fail "corrupt file: no warning: $(cat "$tmp/corrupt.err")"
		[ "$(cat "$tmp/corrupt.cache")" = "written $file" ] || fail "corrupt file: cache '$(cat "$tmp/corrupt.cache")'"
		cmp -s "$tmp/first.rows" "$tmp/corrupt.rows" || fail "corrupt file: rows differ"
		cmp -s "$cache/$file" "$tmp/xdg/bloc/$file" || fail "corrupt file: not replaced by the same file"
	fi

	# a cache that cannot be written (under a regular file: even root cannot): the answer, warned
	: >"$tmp/afile"
	if run unwritable BLOC_CACHE="$tmp/afile/bloc"; then
		grep -q 'warning: cannot write the EI cache file' "$tmp/unwritable.err" ||
			fail "unwritable cache: no warning: $(cat "$tmp/unwritable.err")"
		[ "$(cat "$tmp/unwritable.cache")" = "not written $file" ] || fail "unwritable cache: cache '$(cat "$tmp/unwritable.cache")'"
		cmp -s "$tmp/first.rows" "$tmp/unwritable.rows" || fail "unwritable cache: rows differ"
	fi

	# another seed is another file
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	if env BLOC_CACHE="$cache" "$bloc" $args --seed 3 >/dev/null 2>"$tmp/seed3.err"; then
		[ "$(ls "$cache" | wc -l)" -eq 2 ] || fail "two seeds: $(ls "$cache" | wc -l) files, expected 2"
	else
		fail "--seed 3: exit $?: $(cat "$tmp/seed3.err")"
	fi
fi

finish
