#!/bin/sh
# The contextual model (--covariates) against aggregation bias: on data whose groups vote
# differently where they are numerous (bloc ei-synth --dirichlet --bias 0.5: a group's shares
# move towards one party in proportion to its share of the unit), rxc --covariates share must
# converge and land at least twice as close to the truth as the plain model, over two seeded
# sets of 300 units x 3 groups x 4 parties, about 20,000 voters each. Also: the option's errors,
# and the chains_apart metadata of a run stopped before the chains agree.
#   sh contextual.sh BLOC
set -u
bloc=${1:?usage: contextual.sh BLOC}
. "$(dirname "$0")/../checks.sh"

# mae TRUTH RESULT: mean |estimate - truth| over the cells, in points, then the largest R-hat
mae() {
	awk -F, 'NR == FNR { if (FNR > 1) t[$1 "," $2] = $3; next }
		/^#/ || $1 == "group" { next }
		{ d = $3 - t[$1 "," $2]; if (d < 0) d = -d; s += d; n++; if ($6 > r) r = $6 }
		END { printf "%.4f %.4f\n", 100 * s / n, r }' "$1" "$2"
}

plain=0
context=0
for seed in 1 2; do
	run synth$seed ei-synth --units 300 --groups 3 --parties 4 --total 20000 --dirichlet \
		--bias 0.5 --seed "$seed" -o "$tmp/s$seed.csv" || continue
	set -- --units "$tmp/s$seed.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
		--method rxc --format csv
	run plain$seed ei "$@" || continue
	run context$seed ei "$@" --covariates share || continue
	set -- $(mae "$tmp/s$seed.truth.csv" "$tmp/plain$seed")
	plain=$(awk -v a="$plain" -v b="$1" 'BEGIN { print a + b }')
	set -- $(mae "$tmp/s$seed.truth.csv" "$tmp/context$seed")
	context=$(awk -v a="$context" -v b="$1" 'BEGIN { print a + b }')
	awk -v r="$2" 'BEGIN { exit !(r < 1.01) }' ||
		fail "seed $seed: the contextual model did not converge (largest R-hat $2)"
done
echo "MAE over the seeds: plain $plain points, contextual $context points"
checks=$((checks + 1))
awk -v p="$plain" -v c="$context" 'BEGIN { exit !(p > 0 && c <= p / 2) }' ||
	fail "the contextual model's MAE ($context) is not at most half the plain model's ($plain)"

# the metadata names the covariates and the strata
if run meta ei --units "$tmp/s1.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
	--method rxc --covariates share --covariate-bins 3 --draws 100 --burnin 100 --chains 2; then
	grep -q '^# covariates: share' "$tmp/meta" || fail "the metadata does not name the covariates"
	grep -q '^# contextual_model: .* 3 strata per group' "$tmp/meta" ||
		fail "the metadata does not give the strata: $(grep contextual "$tmp/meta")"
fi

# a run stopped early says where each chain sits for the cells they disagree on (R-hat >= 1.05):
# a group, a party, the R-hat and one mean per chain (seeded: the same every time)
if run short ei --units "$tmp/s1.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
	--method rxc --draws 40 --burnin 100; then
	grep -qE '^# chains_apart: G[123] P[1-4] \(R-hat [0-9.]+\): [0-9.]+ [0-9.]+ [0-9.]+ [0-9.]+(;|$)' \
		"$tmp/short" || fail "no chains_apart line in a 40-sweep run: $(grep '^# c' "$tmp/short")"
fi

# errors: a covariates file without a row for every unit; census: with --units; not rxc
printf 'id,x\nu1,0.5\n' >"$tmp/short.csv"
checks=$((checks + 1))
if "$bloc" ei --units "$tmp/s1.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
	--method rxc --covariates "$tmp/short.csv" >/dev/null 2>"$tmp/short.err"; then
	fail "a covariates file missing units was accepted"
elif ! grep -q 'expected a row for every unit' "$tmp/short.err"; then
	fail "missing units: $(cat "$tmp/short.err")"
fi
checks=$((checks + 1))
if "$bloc" ei --units "$tmp/s1.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
	--method goodman --covariates share >/dev/null 2>"$tmp/method.err"; then
	fail "--covariates with goodman was accepted"
fi
checks=$((checks + 1))
if "$bloc" ei --units "$tmp/s1.csv" --id id --groups G1,G2,G3 --parties P1,P2,P3,P4 \
	--method rxc --covariates census:muslim >/dev/null 2>"$tmp/census.err"; then
	fail "--covariates census: with --units was accepted"
fi
finish
