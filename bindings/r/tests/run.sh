#!/bin/sh
# ctest r: the R package built against this build's libbloc.so (through a bloc.pc written for the
# build tree, as configure finds an installed one) and its testthat suite against this build's
# bloc command.
#   run.sh LIBBLOC INCLUDE_DIR BLOC
# Exit 77 (skipped) without R (Debian: r-base-dev), without testthat (r-cran-testthat), or
# without a shared library (LIBBLOC empty: an ASan build, whose runtime R cannot load).
lib=$1 include=$2 cli=$3
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v R >/dev/null 2>&1 || ! command -v Rscript >/dev/null 2>&1; then
	echo "r: R not found (apt-get install r-base-dev): skipped"
	exit 77
fi
if ! Rscript -e 'library(testthat)' >/dev/null 2>&1; then
	echo "r: R has no testthat (apt-get install r-cran-testthat): skipped"
	exit 77
fi
if [ -z "$lib" ] || [ ! -f "$lib" ]; then
	echo "r: no libbloc.so to link (an ASan build: its runtime cannot be loaded into R): skipped"
	exit 77
fi
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libdir=$(cd "$(dirname "$lib")" && pwd)
mkdir "$tmp/pkgconfig" "$tmp/lib"
cat >"$tmp/pkgconfig/bloc.pc" <<PC
prefix=$libdir
libdir=$libdir
includedir=$include

Name: bloc
Description: bloc, this build tree
Version: 0
Libs: -L\${libdir} -lbloc
Cflags: -I\${includedir}
PC
cp -r "$here" "$tmp/r-src" # R CMD INSTALL builds in place
rm -f "$tmp/r-src/src/Makevars" "$tmp/r-src/src/"*.o "$tmp/r-src/src/"*.so
PKG_CONFIG_PATH="$tmp/pkgconfig" R CMD INSTALL --no-docs --no-html -l "$tmp/lib" "$tmp/r-src" \
	>"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
cd "$tmp"
BLOC_CLI=$cli R_LIBS="$tmp/lib" exec Rscript -e "testthat::test_dir('$tmp/r-src/tests/testthat', \
package = 'bloc', load_package = 'installed', stop_on_failure = TRUE, reporter = 'summary')"
