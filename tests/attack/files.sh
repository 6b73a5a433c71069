#!/usr/bin/env bash
# Files: what -o writes over and what is read as input.
#  - -o onto a FIFO (with a reader), a symbolic link to a FIFO, a device (as root: a null device
#    made with mknod) leaves it what it was; a symbolic link stays a link and the file it names
#    gets the output; a set-user-ID or set-group-ID file loses those bits when rewritten;
#  - a FIFO as a contest, census, hex map, scenario or catalogue file, and a directory as a
#    contest, fail at once ("not a regular file"), never hang;
#  - a catalogue entry leading out of the data directory ("../..", a symbolic link pointing
#    outside) is refused without showing what is there;
#  - an escape sequence in a data file reaches stderr as \x1b, not as a raw ESC byte;
#  - a catalogue of 100,000 entries loads.
#   bash files.sh BLOC SOURCE_DIR
set -u
BLOC=${1:?usage: files.sh BLOC SOURCE_DIR}
command -v timeout >/dev/null && command -v mkfifo >/dev/null || exit 77
T=$(mktemp -d)
readers=()
cleanup() {
	local p
	for p in "${readers[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
failed=0
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# A data directory of one small contest (canonical CSV), read by every check below.
D=$T/data
mkdir -p "$D/res"
head='contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes'
{
	echo "$head"
	echo 'ga,2019-12-12,E1,Aville,London,England,3000,LAB,L0,500'
	echo 'ga,2019-12-12,E1,Aville,London,England,3000,CON,C0,391'
	echo 'ga,2019-12-12,E2,Btown,London,England,3000,LAB,L1,537'
	echo 'ga,2019-12-12,E2,Btown,London,England,3000,CON,C1,600'
} >"$D/res/ga.csv"
cat_head='id,kind,date,boundaries,path,format,filter,previous,notes'
{
	echo "$cat_head"
	echo 'ga,general-election,2019-12-12,2023,res/ga.csv,canonical,,,'
} >"$D/CATALOG.csv"
q() { timeout 10 "$BLOC" --data "$D" "$@"; }
q results ga >"$T/expected" 2>"$T/err" || {
	fail "the small data directory does not load: $(cat "$T/err")"
	exit 1
}

# ---- -o ---------------------------------------------------------------------------------------

# -o onto a FIFO (the name given, or a symbolic link to it) with a reader: written through it
mkfifo "$T/fifo"
ln -s fifo "$T/fifolink"
for target in fifo fifolink; do
	rm -f "$T/got"
	cat "$T/fifo" >"$T/got" &
	reader=$!
	readers+=("$reader")
	q results ga -o "$T/$target" 2>"$T/err" || fail "-o $target: exit $?: $(cat "$T/err")"
	timeout 5 tail --pid="$reader" -f /dev/null 2>/dev/null
	[ -p "$T/fifo" ] || fail "-o $target: the FIFO is no longer a FIFO"
	cmp -s "$T/got" "$T/expected" || fail "-o $target: the reader did not get the output"
done
[ -L "$T/fifolink" ] || fail "-o fifolink: the symbolic link is no longer a link"

# -o onto a device: as root, a null device of our own (mknod is root's)
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
	q results ga -o "$T/null" 2>"$T/err" || fail "-o a device: exit $?: $(cat "$T/err")"
	[ -c "$T/null" ] || fail "-o a device: it is no longer a character device"
fi
# /dev/null itself, through a symbolic link (writing it changes nothing)
ln -s /dev/null "$T/devlink"
q results ga -o "$T/devlink" 2>"$T/err" || fail "-o link to /dev/null: exit $?: $(cat "$T/err")"
[ -L "$T/devlink" ] && [ -c /dev/null ] || fail "-o link to /dev/null: link or device replaced"

# a symbolic link to a regular file, and one to a file not there yet: the link stays
echo old >"$T/real.txt"
ln -s real.txt "$T/link.txt"
mkdir "$T/sub"
ln -s sub/new.txt "$T/dangling.txt"
for target in link.txt dangling.txt; do
	q results ga -o "$T/$target" 2>"$T/err" || fail "-o $target: exit $?: $(cat "$T/err")"
	[ -L "$T/$target" ] || fail "-o $target: the symbolic link was replaced"
done
cmp -s "$T/real.txt" "$T/expected" || fail "-o link.txt: the file it names did not get the output"
cmp -s "$T/sub/new.txt" "$T/expected" || fail "-o dangling.txt: sub/new.txt was not made"

# set-user-ID and set-group-ID are not carried over to the rewritten file
for mode in 4755 2755 6755; do
	echo old >"$T/prog"
	chmod "$mode" "$T/prog"
	q results ga -o "$T/prog" 2>"$T/err" || fail "-o a $mode file: exit $?: $(cat "$T/err")"
	got=$(stat -c %a "$T/prog")
	[ "$got" = 755 ] || fail "-o a $mode file: mode $got after, expected 755"
done

# ---- input files that are not regular files -------------------------------------------------

# Run the command (the FIFO has no writer): exit 1 within seconds, saying what the file is.
refused() {
	local what=$1 kind=$2
	shift 2
	timeout 5 "$BLOC" "$@" >/dev/null 2>"$T/err"
	local rc=$?
	if [ $rc = 124 ]; then
		fail "$what: hangs"
	elif [ $rc != 1 ]; then
		fail "$what: exit $rc, expected 1: $(cat "$T/err")"
	elif ! grep -q "not a regular file ($kind)" "$T/err"; then
		fail "$what: expected 'not a regular file ($kind)', found: $(cat "$T/err")"
	fi
}
mkfifo "$T/in.csv" "$T/in.json"
refused "a FIFO as a contest" "a FIFO" --data "$D" results "$T/in.csv"
refused "a directory as a contest" "a directory" --data "$D" results "$T/sub"
refused "a FIFO as a census file" "a FIFO" --data "$D" power ga --group muslim --census "$T/in.csv"
refused "a FIFO as a scenario" "a FIFO" --data "$D" project ga "$T/in.json"

# a FIFO inside the data directory as a catalogued hex map, census table and the catalogue itself
F=$T/fifodata
mkdir -p "$F/res"
cp "$D/res/ga.csv" "$F/res/"
mkfifo "$F/map.hexjson" "$F/rel.csv"
{
	echo "$cat_head"
	echo 'ga,general-election,2019-12-12,2023,res/ga.csv,canonical,,,'
	echo 'hexa,hexmap,,2023,map.hexjson,hexjson,,,'
	echo 'census21-religion,census,2021,2023,rel.csv,ons-long-counts,,,'
} >"$F/CATALOG.csv"
refused "a FIFO as a catalogued hex map" "a FIFO" --data "$F" map ga
refused "a FIFO as a catalogued census table" "a FIFO" --data "$F" power ga --group muslim
mkdir "$T/fifocat"
mkfifo "$T/fifocat/CATALOG.csv"
refused "a FIFO as the catalogue" "a FIFO" --data "$T/fifocat" elections

# ---- catalogue paths stay in the data directory ---------------------------------------------

# Exit 1, the entry refused by its catalogue line, nothing of the file shown.
outside() {
	local what=$1 dir=$2 id=$3 line=$4
	timeout 10 "$BLOC" --data "$dir" results "$id" >/dev/null 2>"$T/err"
	local rc=$?
	[ $rc = 1 ] || fail "$what: exit $rc, expected 1: $(cat "$T/err")"
	grep -q "CATALOG.csv:$line: '$id': expected a path inside the data directory" "$T/err" ||
		fail "$what: expected the entry refused, found: $(cat "$T/err")"
	! grep -q 'root:' "$T/err" || fail "$what: the message shows the file: $(cat "$T/err")"
}
O=$T/outside
mkdir -p "$O/res"
cp "$D/res/ga.csv" "$O/res/"
ln -s /etc/passwd "$O/res/link.csv"
ln -s "$D/res/ga.csv" "$O/res/elsewhere.csv"
{
	echo "$cat_head"
	echo 'ga,general-election,2019-12-12,2023,res/ga.csv,canonical,,,'
	echo 'evil,general-election,2017-06-08,2010,../../../../../../../etc/passwd,canonical,,,'
	echo 'abs,general-election,2017-06-08,2010,/etc/passwd,canonical,,,'
	echo 'link,general-election,2017-06-08,2010,res/link.csv,canonical,,,'
	echo 'elsewhere,general-election,2017-06-08,2010,res/elsewhere.csv,canonical,,,'
} >"$O/CATALOG.csv"
timeout 10 "$BLOC" --data "$O" results ga >/dev/null 2>"$T/err" ||
	fail "an entry inside the directory is refused: $(cat "$T/err")"
outside "a ../ catalogue path" "$O" evil 3
outside "an absolute catalogue path" "$O" abs 4
outside "a symbolic link to /etc/passwd" "$O" link 5
outside "a symbolic link out of the data directory" "$O" elsewhere 6
# a file named on the command line is the user's own, wherever it is
timeout 10 "$BLOC" --data "$O" results "$D/res/ga.csv" >/dev/null 2>"$T/err" ||
	fail "a results file named on the command line is refused: $(cat "$T/err")"

# The server's store, on the same directory: refused too, and the error bodies name no
# directory of the machine nor anything of the file.
if command -v curl >/dev/null; then
	"$BLOC" --data "$O" serve --port 0 2>"$T/serve" &
	server=$!
	readers+=("$server")
	for _ in $(seq 300); do
		grep -q 'listening on http://' "$T/serve" && break
		sleep 0.1
	done
	url=$(sed -n 's|.*listening on \(http://[^ ]*[0-9]\)/.*|\1|p' "$T/serve")
	[ -n "$url" ] || fail "bloc serve did not start: $(cat "$T/serve")"
	for id in evil abs link elsewhere; do
		[ -n "$url" ] || break
		body=$(curl -s "$url/api/results?contest=$id")
		case $body in
		*"expected a path inside the data directory"*) ;;
		*) fail "server, $id: expected the entry refused, found: ${body:0:300}" ;;
		esac
		case $body in
		*"$T"* | *root:* | *"$D"*) fail "server, $id: the body shows a path or the file: ${body:0:300}" ;;
		esac
	done
	kill "$server" 2>/dev/null
fi

# ---- escape sequences from data files ---------------------------------------------------------

{
	echo "$head"
	printf 'ga,2019-12-12,E1,A\033[31mville,London,England,3000,LAB,L0,500\n'
	printf 'ga,2019-12-12,E1,A\033[31mville,London,England,3000,CON,C0,39\033[2J1\n'
} >"$T/esc.csv"
timeout 10 "$BLOC" --data "$D" results "$T/esc.csv" >/dev/null 2>"$T/err"
rc=$?
[ $rc = 1 ] || fail "escape sequence: exit $rc, expected 1"
grep -qF '39\x1b[2J1' "$T/err" || fail "escape sequence: expected \\x1b in: $(cat -v "$T/err")"
! grep -q $'\033' "$T/err" || fail "escape sequence: a raw ESC byte on stderr: $(cat -v "$T/err")"

# ---- a large catalogue ---------------------------------------------------------------------

L=$T/large
mkdir "$L"
{
	echo "$cat_head"
	seq 1 100000 | sed 's|.*|c&,general-election,2019-12-12,2010,res/c&.csv,canonical,,,|'
} >"$L/CATALOG.csv"
timeout 60 "$BLOC" --data "$L" elections >"$T/out" 2>"$T/err" ||
	fail "a catalogue of 100,000 entries: exit $?: $(head -c 300 "$T/err")"
[ "$(grep -c '^c[0-9]' "$T/out")" -ge 100000 ] ||
	fail "a catalogue of 100,000 entries: $(grep -c '^c[0-9]' "$T/out") listed"

[ $failed = 0 ] && echo "files: all passed"
[ $failed = 0 ]
