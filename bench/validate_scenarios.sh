#!/bin/sh
# Runs every command of docs/scenarios.md's validation and prints the tables the document shows.
#
#   bench/validate_scenarios.sh [BLOC]
#
# BLOC is the bloc binary (default build-release/bloc). The EI baseline of case 3 is cached in
# $BLOC_CACHE, a temporary directory unless set (then removed at the end). Run it by hand: it is
# not a test, and takes a minute or so on a cold cache (case 3's EI run), a few seconds on a warm
# one. Nothing here edits data: the one-seat bases are extracts of the shipped
# by-elections/key-by-elections-previous-ge.csv written to the temporary directory.
set -u

BLOC=${1:-build-release/bloc}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${BLOC_DATA:-$root/data}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/validate_scenarios.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
if [ -z "${BLOC_CACHE:-}" ]; then
	BLOC_CACHE=$tmp/cache
fi
export BLOC_CACHE
if ! "$BLOC" --version >/dev/null 2>&1; then
	echo "validate_scenarios: cannot run '$BLOC' (give the bloc binary as the first argument)" >&2
	exit 1
fi

say() {
	printf '%s\n' "$*"
}

# cmd ARGS...: print a command as the document writes it (bloc for the binary)
cmd() {
	printf '\n$ bloc'
	for a in "$@"; do
		a=${a#"$tmp"/}
		case $a in
		*[!A-Za-z0-9_.,:=@+/-]*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}

# show ARGS...: print the command, then run it
show() {
	cmd "$@"
	"$BLOC" "$@"
}

# extract SEAT FILE: the 2010-boundary previous general election of one by-election seat
extract() {
	awk -F, -v s="$1" 'NR == 1 || $3 == s' "$data/by-elections/key-by-elections-previous-ge.csv" >"$2"
}

# actual CONTEST SEAT OUT: the seat's shares by party (candidates of a party summed) as party=share
# lines, then valid=N
actual() {
	"$BLOC" seat "$1" "$2" --format csv |
	    awk -F, 'NR > 1 { s[$2] += $4 } END { for (p in s) printf "%s=%.2f\n", p, s[p] }' >"$3"
	"$BLOC" results "$1" --by seat --format csv |
	    awk -F, -v s="$2" '$2 == s { print "valid=" $6 }' >>"$3"
}

# fit BASEFILE ACTUALFILE TAG WHITE_TURNOUT [project options...]: one projection of a one-seat
# base, printed as a table row: TAG | winner | RES-or-WPB LAB CON LD OTH | valid votes | MAE.
# WHITE_TURNOUT is the second group's turnout change (0 if none), used for its projected votes.
# The new party is the first column of the row (RES or WPB: whichever the actual file has).
fit() {
	base=$1 act=$2 tag=$3 wt=$4
	shift 4
	if ! "$BLOC" project "$base" "$@" --by seat --format csv >"$tmp/seat.csv" 2>"$tmp/err" ||
	    ! "$BLOC" project "$base" "$@" --by group --format csv >"$tmp/group.csv" 2>>"$tmp/err" ||
	    ! "$BLOC" project "$base" "$@" --by group >"$tmp/group.txt" 2>>"$tmp/err"; then
		printf '| %s | error: %s |\n' "$tag" "$(sed -n '1s/^bloc: //p' "$tmp/err" | cut -c1-90)"
		return 0
	fi
	allg=$(sed -n 's/^# group_votes: \([0-9]*\).*/\1/p' "$tmp/group.txt")
	"$BLOC" results "$base" --by seat --format csv | awk -F, 'NR == 2 { print $5, $6 }' >"$tmp/ev"
	awk -F, -v tag="$tag" -v wt="$wt" -v allg="$allg" -v ev="$tmp/ev" -v act="$act" '
	BEGIN {
		getline line <ev; split(line, e, " "); E = e[1]; V = e[2]
		while ((getline line <act) > 0) { split(line, kv, "="); A[kv[1]] = kv[2] }
		new = ("WPB" in A) ? "WPB" : "RES"
	}
	FILENAME ~ /group.csv$/ { if (FNR > 1) { gb += $6; gp += $7 } next }
	FNR == 1 { for (i = 6; i <= NF; i++) col[i] = $i; n = NF; next }
	FNR == 2 {
		win = $4
		for (i = 6; i < n; i++) P[col[i]] = $i
	}
	END {
		T = 100 * V / E
		other = allg - gb                  # the second group (if any), in the base
		valid = V - allg + gp + other * (T + wt) / T
		for (p in P) { d = P[p] - A[p]; err += d < 0 ? -d : d; k++ }
		for (p in A) if (p != "valid" && !(p in P)) { d = A[p]; err += d; k++ }
		printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f | %.2f |\n", tag, win,
		    P[new], P["LAB"], P["CON"], P["LD"], P["OTH"], valid, err / k
	}' "$tmp/group.csv" "$tmp/seat.csv"
}

# fit with the Muslim group's change G and a second group W (none: no second group); fit counts
# the votes with the second group's turnout change, its "turnout=" figure
fit_groups() {
	fg_base=$1 fg_act=$2 fg_tag=$3 fg_g=$4 fg_w=$5
	shift 5
	fg_wt=0
	case $fg_w in
	*turnout=*) fg_wt=${fg_w##*turnout=} ;;
	esac
	if [ "$fg_w" = none ]; then
		fit "$fg_base" "$fg_act" "$fg_tag" "$fg_wt" "$@" --group "$fg_g"
	else
		fit "$fg_base" "$fg_act" "$fg_tag" "$fg_wt" "$@" --group "$fg_g" --group "$fg_w"
	fi
}

# actualrow ACTUALFILE: the same row for the actual result
actualrow() {
	awk -v new="$2" '{ split($0, kv, "="); A[kv[1]] = kv[2] }
	END {
		for (p in A) if (p != "valid" && A[p] > top) { top = A[p]; win = p }
		printf "| actual | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %d | |\n", win, A[new],
	    A["LAB"], A["CON"], A["LD"], A["OTH"], A["valid"] }' "$1"
}

header() {
	say "| $1 | winner | $2 | LAB | CON | LD | OTH | valid votes | MAE |"
	say "|---|---|---|---|---|---|---|---|---|"
}

# --- Case 1: Bradford West 2012 from 2010 -------------------------------------------------------
say "## Case 1: Bradford West 2012 from the 2010 result"
show seat by-elections-previous-ge "Bradford West"
show seat by2012-bradford-west "Bradford West"
extract "Bradford West" "$tmp/bw2010.csv"
actual by2012-bradford-west "Bradford West" "$tmp/bw.act"

# baselines: how the Muslim group voted in 2010 (census: like the seat; two survey splits)
bw_baselines="census survey:LAB=80,CON=15,LD=5 survey:LAB=60,CON=35,LD=5"
# the second group (white residents): none, a turnout fall, a turnout fall and CON to RES
bw_whites="none white:turnout=-15 white:turnout=-30 white:CON=-15,RES=+15,turnout=-15
white:CON=-15,RES=+15,turnout=-30"

say
say "Grid: baseline x Muslim LAB->RES shift (a) x Muslim turnout (t) x second group (w); the"
say "Muslim group's whole CON and LD vote also goes to RES. MAE: mean |projected - actual| share"
say "over the seat's parties, points. Valid votes: 2010 40,576; 2012 32,814."
say
header "baseline; muslim LAB->RES a; turnout t; second group w" RES
for bl in $bw_baselines; do
	case $bl in
	census) c=31 l=11 ;;
	survey:LAB=80*) c=15 l=5 ;;
	*) c=35 l=5 ;;
	esac
	for w in $bw_whites; do
		for a in 30 40 50 60; do
			for t in -10 0 10 20; do
				fit_groups "$tmp/bw2010.csv" "$tmp/bw.act" "$bl; a=$a; t=$t; $w" \
				    "muslim:LAB=-$a,CON=-$c,LD=-$l,RES=+$((a + c + l)),turnout=$t" "$w" \
				    --baseline "$bl"
			done
		done
	done
done >"$tmp/bw.grid"
cat "$tmp/bw.grid"
actualrow "$tmp/bw.act" RES

say
say "Best point of each baseline and second group (lowest MAE):"
say
header "baseline; muslim LAB->RES a; turnout t; second group w" RES
for bl in $bw_baselines; do
	for w in $bw_whites; do
		grep -F "| $bl; " "$tmp/bw.grid" | grep -F "; $w |" | grep -v error |
		    sort -t'|' -k10,10n | head -n 1
	done
done
actualrow "$tmp/bw.act" RES
best=$(grep -v error "$tmp/bw.grid" | sort -t'|' -k10,10n | head -n 1)
say
say "Best overall: $best"

# the best point's settings, to reuse in case 2
bw_bl=$(say "$best" | sed 's/^| \([^;]*\); a=\([0-9]*\); t=\([-0-9]*\); \([^|]*\) |.*/\1/')
bw_a=$(say "$best" | sed 's/^| \([^;]*\); a=\([0-9]*\); t=\([-0-9]*\); \([^|]*\) |.*/\2/')
bw_t=$(say "$best" | sed 's/^| \([^;]*\); a=\([0-9]*\); t=\([-0-9]*\); \([^|]*\) |.*/\3/')
bw_w=$(say "$best" | sed 's/^| \([^;]*\); a=\([0-9]*\); t=\([-0-9]*\); \([^ |]*\) |.*/\4/')

# matrix GRID PREFIX SUFFIX: MAE by a (rows) and t (columns) for one baseline and second group
matrix() {
	say "| a \\ t | -10 | 0 | +10 | +20 |"
	say "|---|---|---|---|---|"
	for a in 30 40 50 60; do
		printf '| %s |' "$a"
		for t in -10 0 10 20; do
			m=$(grep -F "| $2; a=$a; t=$t; $3 |" "$1" | awk -F'|' '{ print $10 }' | tr -d ' ')
			case $m in
			'') m=error ;;
			esac
			printf ' %s |' "$m"
		done
		printf '\n'
	done
}

say
say "MAE of the best baseline and second group ($bw_bl; $bw_w), by Muslim shift a and turnout t:"
say
matrix "$tmp/bw.grid" "$bw_bl" "$bw_w"
say
say "MAE with no second group ($bw_bl; none):"
say
matrix "$tmp/bw.grid" "$bw_bl" none

# bwc BASELINE: the Muslim group's whole CON and LD vote under a baseline in Bradford West
bw_c=15 bw_l=5
case $bw_bl in
census) bw_c=31 bw_l=11 ;;
survey:LAB=60*) bw_c=35 bw_l=5 ;;
esac
bw_group="muslim:LAB=-$bw_a,CON=-$bw_c,LD=-$bw_l,RES=+$((bw_a + bw_c + bw_l)),turnout=$bw_t"
say
say "The best point's commands (bw2010.csv: Bradford West's rows of the shipped"
say "by-elections/key-by-elections-previous-ge.csv):"
if [ "$bw_w" = none ]; then
	set -- --group "$bw_group"
else
	set -- --group "$bw_group" --group "$bw_w"
fi
cmd project "$tmp/bw2010.csv" --baseline "$bw_bl" "$@" --by seat
"$BLOC" project "$tmp/bw2010.csv" --baseline "$bw_bl" "$@" --by seat | grep -v '^#'
cmd project "$tmp/bw2010.csv" --baseline "$bw_bl" "$@" --by group
"$BLOC" project "$tmp/bw2010.csv" --baseline "$bw_bl" "$@" --by group | grep -v '^#'

# --- Case 2: Batley and Spen 2021 from 2019 -----------------------------------------------------
say
say "## Case 2: Batley and Spen 2021 from the 2019 result"
show seat by-elections-previous-ge "Batley and Spen"
show seat by2021-batley-and-spen "Batley and Spen"
extract "Batley and Spen" "$tmp/bs2019.csv"
actual by2021-batley-and-spen "Batley and Spen" "$tmp/bs.act"

# the Muslim group's whole CON and LD vote under a baseline in Batley and Spen
bs_c=$bw_c bs_l=$bw_l
case $bw_bl in
census) bs_c=36 bs_l=4 ;;
esac
to_wpb() {
	say "$1" | sed 's/RES=/WPB=/'
}
say
say "Bradford West's best sizes, unchanged, towards a Workers Party candidate (--stand WPB),"
say "and a grid around them (Muslim LAB->WPB a, Muslim turnout t, second group w):"
say
header "baseline; muslim LAB->WPB a; turnout t; second group w" WPB
bs_w=$(to_wpb "$bw_w")
fit_groups "$tmp/bs2019.csv" "$tmp/bs.act" "Bradford West's: $bw_bl; a=$bw_a; t=$bw_t; $bs_w" \
    "muslim:LAB=-$bw_a,CON=-$bs_c,LD=-$bs_l,WPB=+$((bw_a + bs_c + bs_l)),turnout=$bw_t" "$bs_w" \
    --stand "WPB@Batley and Spen" --baseline "$bw_bl" | tee "$tmp/bs.first"
for w in none white:turnout=-15 white:turnout=-30 white:OTH=-10,REF=-3,CON=+13,turnout=-30; do
	for a in 20 40 60; do
		for t in 0 10 20 30; do
			fit_groups "$tmp/bs2019.csv" "$tmp/bs.act" "$bw_bl; a=$a; t=$t; $w" \
			    "muslim:LAB=-$a,CON=-$bs_c,LD=-$bs_l,WPB=+$((a + bs_c + bs_l)),turnout=$t" "$w" \
			    --stand "WPB@Batley and Spen" --baseline "$bw_bl"
		done
	done
done >"$tmp/bs.grid"
cat "$tmp/bs.grid"
actualrow "$tmp/bs.act" WPB
say
say "Best point of each second group (lowest MAE):"
say
header "baseline; muslim LAB->WPB a; turnout t; second group w" WPB
for w in none white:turnout=-15 white:turnout=-30 white:OTH=-10,REF=-3,CON=+13,turnout=-30; do
	grep -F "; $w |" "$tmp/bs.grid" | grep -v error | sort -t'|' -k10,10n | head -n 1
done
actualrow "$tmp/bs.act" WPB
bs_best=$(grep -v error "$tmp/bs.grid" | sort -t'|' -k10,10n | head -n 1)
say
say "Best overall: $bs_best"
pat='s/^| \([^;]*\); a=\([0-9]*\); t=\([-0-9]*\); \([^ |]*\) |.*/'
bs_a=$(say "$bs_best" | sed "$pat\\2/")
bs_t=$(say "$bs_best" | sed "$pat\\3/")
bs_w=$(say "$bs_best" | sed "$pat\\4/")
g="muslim:LAB=-$bs_a,CON=-$bs_c,LD=-$bs_l,WPB=+$((bs_a + bs_c + bs_l)),turnout=$bs_t"
if [ "$bs_w" = none ]; then
	set -- --group "$g"
else
	set -- --group "$g" --group "$bs_w"
fi
say
say "The best point's commands (bs2019.csv: Batley and Spen's rows of the same file):"
cmd project "$tmp/bs2019.csv" --stand "WPB@Batley and Spen" --baseline "$bw_bl" "$@" --by seat
"$BLOC" project "$tmp/bs2019.csv" --stand "WPB@Batley and Spen" --baseline "$bw_bl" "$@" \
    --by seat | grep -v '^#'
cmd project "$tmp/bs2019.csv" --stand "WPB@Batley and Spen" --baseline "$bw_bl" "$@" --by group
"$BLOC" project "$tmp/bs2019.csv" --stand "WPB@Batley and Spen" --baseline "$bw_bl" "$@" \
    --by group | grep -v '^#'

# --- Case 3: GE2024 from the 2019 notional result -----------------------------------------------
say
say "## Case 3: GE2024 from ge2019-notional-2023"
"$BLOC" results ge2024 --format csv >"$tmp/ge24.party"
"$BLOC" results ge2024 --by seat --format csv >"$tmp/ge24.seat"
# the 2024 shares of the parties that fight Great Britain
shares=$(awk -F, '$1 ~ /^(LAB|CON|LD|REF|GRN|SNP|PC)$/ { printf "%s%s=%s", n++ ? "," : "", $1, $4 }' \
    "$tmp/ge24.party")
# independents stand where one won in 2024, or came second within 15 points (Great Britain;
# Islington North, Jeremy Corbyn's seat, is stood separately)
stand=$(awk -F, 'NR > 1 && $4 != "Northern Ireland" && $2 != "Islington North" &&
    ($8 == "IND" || ($9 == "IND" && $11 < 15)) { printf "%s%s", n++ ? "," : "", $2 }' "$tmp/ge24.seat")
show results ge2024
say
say "Shares (bloc results ge2024): $shares"
say "IND stands in: $stand; IND:Jeremy Corbyn in Islington North"
cmd results ge2024 --by seat --format csv
"$BLOC" results ge2024 --by seat --format csv | awk -F, 'NR == 1 || ($4 != "Northern Ireland" &&
    ($8 == "IND" || $9 == "IND"))' | cut -d, -f2,8-11

# summary TAG [options...]: one row: seats won by LAB, REF and IND, the IND seats, the Labour
# seats lost among the seats an independent stood in, and the seats whose winner is not 2024's
summary() {
	tag=$1
	shift
	if ! "$BLOC" project ge2019-notional-2023 "$@" --by seat --format csv >"$tmp/p.csv" \
	    2>"$tmp/err"; then
		printf '| %s | error: %s |\n' "$tag" "$(sed -n '1s/^bloc: //p' "$tmp/err")"
		return 0
	fi
	awk -F, -v tag="$tag" -v stand="$stand,Islington North" '
	BEGIN { n = split(stand, s, ","); for (i = 1; i <= n; i++) st[s[i]] = 1 }
	FNR == NR { if (FNR > 1) real[$1] = $8; next }
	FNR == 1 { next }
	{
		won[$4]++
		if ($4 != real[$1]) wrong++
		if ($4 == "IND") ind = ind (ind == "" ? "" : ", ") $2 (real[$1] == "IND" ? "" : " (x)")
		if (($2 in st) && $3 == "LAB" && $4 != "LAB")
			lost = lost (lost == "" ? "" : ", ") $2 "->" $4
	}
	END {
		printf "| %s | %d | %d | %d | %s | %s | %d |\n", tag, won["LAB"], won["REF"], won["IND"],
		    ind == "" ? "-" : ind, lost == "" ? "-" : lost, wrong
	}' "$tmp/ge24.seat" "$tmp/p.csv"
}

# seats [options...]: the seats an independent stood in, projected against 2024
seats() {
	"$BLOC" project ge2019-notional-2023 "$@" --by seat --format csv >"$tmp/p.csv" || return 0
	for s in $(say "$stand,Islington North" | tr ' ,' '_ '); do
		s=$(say "$s" | tr _ ' ')
		"$BLOC" seat ge2024 "$s" --format csv |
		    awk -F, 'NR > 1 { if ($2 == "IND" && $4 > i) i = $4; if ($2 == "LAB") l = $4 }
		    END { printf "%.1f %.1f\n", l, i }' >"$tmp/a"
		awk -F, -v s="$s" -v a="$tmp/a" '
		BEGIN { getline line <a; split(line, A, " ") }
		FNR == NR { if ($2 == s) w = $8; next }
		FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$2 == s {
			printf "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", s, w, $4,
			    $(c["LAB"]), A[1], $(c["IND"]), A[2], $(c["group_share"])
		}' "$tmp/ge24.seat" "$tmp/p.csv"
	done
}

seatheader() {
	say "| seat | 2024 winner | projected | LAB | LAB 2024 | IND | IND 2024 | Muslim share of voters |"
	say "|---|---|---|---|---|---|---|---|"
}

ei=ei:draws=2000,chains=2
say
say "The EI run behind --baseline $ei (the same cache; its convergence):"
cmd ei ge2019-notional-2023 --groups muslim --method rxc --by seat --draws 2000 --chains 2
"$BLOC" ei ge2019-notional-2023 --groups muslim --method rxc --by seat --draws 2000 --chains 2 |
    grep -E '^# (converged|cache|chains|draws_per_chain):'
say
say "The base's independents and Labour where the table below needs them:"
for s in Beaconsfield "Exmouth and Exeter East" "South West Hertfordshire" "Leicester South"; do
	"$BLOC" seat ge2019-notional-2023 "$s" --format csv |
	    awk -F, -v s="$s" '$2 == "IND" || $2 == "LAB" { print s ": " $2 " " $4 " (" $5 ")" }'
done
set -- --shares "$shares" --stand "IND@$stand" --stand "IND:Jeremy Corbyn@Islington North"
say
say "Without --stand REF@GB, REF fights only the seats the Brexit Party fought in 2019:"
"$BLOC" project ge2019-notional-2023 --shares "$shares" --by seat --format csv |
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $(c["REF"]) > 0 { n++ } END { print "seats with a REF candidate: " n }'
say
say "Seats by scenario (uniform model, shares held within 0.05 points, unless said). IND seats marked (x) were"
say "not won by an independent in 2024; 'lost' lists the Labour seats among those an independent"
say "stood in that change hands; 'wrong' counts seats whose winner is not 2024's (of 650)."
say
say "| scenario | LAB | REF | IND | IND seats | lost | wrong |"
say "|---|---|---|---|---|---|---|"
summary "uniform, shares only" --shares "$shares"
summary "uniform, --stand REF@GB" --shares "$shares" --stand REF@GB
summary "transition, --stand REF@GB" --shares "$shares" --stand REF@GB --model transition
summary "strong, shares only" --shares "$shares" --model strong
summary "strong, --stand REF@GB" --shares "$shares" --stand REF@GB --model strong
for g in LAB=-20,IND=+10,GRN=+10 LAB=-40,IND=+30,GRN=+10 LAB=-54,IND=+44,GRN=+10 \
    LAB=-55,IND=+45,GRN=+10; do
	summary "$ei; muslim:$g" "$@" --stand REF@GB --baseline "$ei" --group "muslim:$g"
done
for g in LAB=-54,IND=+44,GRN=+10 LAB=-70,IND=+60,GRN=+10 LAB=-80,IND=+70,GRN=+10; do
	summary "survey:LAB=86,CON=9; muslim:$g" "$@" --stand REF@GB \
	    --baseline survey:LAB=86,CON=9 --group "muslim:$g"
done
for h in 0.05 0.2; do
	for g in LAB=-20,IND=+10,GRN=+10 LAB=-54,IND=+44,GRN=+10; do
		summary "strong, held within $h; $ei; muslim:$g" "$@" --stand REF@GB --model strong \
		    --hold-shares "$h" --baseline "$ei" --group "muslim:$g"
	done
	summary "strong, held within $h; survey:LAB=86,CON=9; muslim:LAB=-80,IND=+70,GRN=+10" "$@" \
	    --stand REF@GB --model strong --hold-shares "$h" --baseline survey:LAB=86,CON=9 \
	    --group muslim:LAB=-80,IND=+70,GRN=+10
done

say
say "The seats, with the EI baseline at the largest shift it allows (LAB=-54):"
cmd project ge2019-notional-2023 "$@" --stand REF@GB \
    --baseline "$ei" --group muslim:LAB=-54,IND=+44,GRN=+10 --by party
"$BLOC" project ge2019-notional-2023 "$@" --stand REF@GB \
    --baseline "$ei" --group muslim:LAB=-54,IND=+44,GRN=+10 --by party | grep -E '^(party|LAB|CON|REF|IND|GRN) |^# (hold|baseline|ei|cache|group_home)'
say
seatheader
seats "$@" --stand REF@GB --baseline "$ei" \
    --group muslim:LAB=-54,IND=+44,GRN=+10
say
say "With a survey baseline (LAB=86,CON=9, an assumption) and LAB=-80:"
cmd project ge2019-notional-2023 "$@" --stand REF@GB \
    --baseline survey:LAB=86,CON=9 --group muslim:LAB=-80,IND=+70,GRN=+10 --by party
"$BLOC" project ge2019-notional-2023 "$@" --stand REF@GB \
    --baseline survey:LAB=86,CON=9 --group muslim:LAB=-80,IND=+70,GRN=+10 --by party | grep -E '^(party|LAB|CON|REF|IND|GRN) |^# (hold|baseline|group_home)'
say
seatheader
seats "$@" --stand REF@GB --baseline survey:LAB=86,CON=9 \
    --group muslim:LAB=-80,IND=+70,GRN=+10
say
say "The same with the strong model, shares held within 0.2 points:"
cmd project ge2019-notional-2023 "$@" --stand REF@GB --model strong --hold-shares 0.2 \
    --baseline survey:LAB=86,CON=9 --group muslim:LAB=-80,IND=+70,GRN=+10 --by party
"$BLOC" project ge2019-notional-2023 "$@" --stand REF@GB --model strong --hold-shares 0.2 \
    --baseline survey:LAB=86,CON=9 --group muslim:LAB=-80,IND=+70,GRN=+10 --by party |
    grep -E '^(party|LAB|CON|REF|IND|GRN) |^# (hold|baseline|group_home)'
say
seatheader
seats "$@" --stand REF@GB --model strong --hold-shares 0.2 --baseline survey:LAB=86,CON=9 \
    --group muslim:LAB=-80,IND=+70,GRN=+10
