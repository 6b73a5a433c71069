#!/bin/sh
# make uninstall: remove every file `make install` wrote (BUILD_DIR/install_manifest.txt, under
# $DESTDIR if set), then the directories bloc owns that are left empty (include/bloc,
# lib/cmake/bloc, share/bloc/...), never a directory outside the install prefix.
#   sh uninstall.sh BUILD_DIR
set -eu
build=${1:?usage: uninstall.sh BUILD_DIR}
manifest="$build/install_manifest.txt"
[ -f "$manifest" ] || { echo "uninstall: $manifest: nothing was installed from this build" >&2; exit 1; }
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
[ -n "$prefix" ] || { echo "uninstall: no CMAKE_INSTALL_PREFIX in $build/CMakeCache.txt" >&2; exit 1; }
dest=${DESTDIR:-}
n=0
while IFS= read -r f || [ -n "$f" ]; do
	[ -n "$f" ] || continue
	if [ -e "$dest$f" ] || [ -L "$dest$f" ]; then
		rm -f "$dest$f"
		n=$((n + 1))
	fi
	# the empty directories named bloc, and those below them, up to the prefix
	d=$(dirname "$f")
	while [ "$d" != "$prefix" ] && [ "$d" != / ] && [ "$d" != . ]; do
		case "$d" in
		"$prefix"/*/bloc | "$prefix"/*/bloc/*) rmdir "$dest$d" 2>/dev/null || break ;;
		*) ;;
		esac
		d=$(dirname "$d")
	done
done <"$manifest"
echo "uninstall: removed $n files from $dest$prefix"
