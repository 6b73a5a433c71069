# bloc — the two commands of the README, and a few helpers. CMake does the real work.
#
#   make run           build (Release) and run the main job on the real data
#   make check         build and run every test: plain (build/), then ASan + UBSan (build-asan/)
#   make bench         benchmarks against R, side by side (not tests; needs hyperfine and Rscript)
#   make bench-ei      ecological inference against eiPack and ei (minutes; needs the R packages)
#   make bench-forecast  the forecast Monte Carlo against a vectorised R reference (a minute)
#   make bench-simulate  the agent-based by-election against an R/igraph reference (2 minutes)
#   make install       build (Release) and install into PREFIX (default /usr/local; DESTDIR too)
#   make uninstall     remove what make install installed (build-release/install_manifest.txt)
#   make format        clang-format -i every C source and header
#   make format-check  fail if any C source or header is not clang-formatted
#
# BLOC_DATA is the data directory (default: the project's own data/).

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
BLOC_DATA ?= $(ROOT)/data
export BLOC_DATA

# The install prefix: bloc looks for its data in PREFIX/share/bloc/data, so it is built for it.
PREFIX ?= /usr/local
export DESTDIR

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
CTEST ?= ctest
CTEST_FLAGS ?= --output-on-failure --stop-on-failure
CLANG_FORMAT ?= clang-format

# Sanitizer failures stop the run at once, with a stack trace.
export ASAN_OPTIONS ?= detect_leaks=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

# Build directories (override to build elsewhere)
BUILD ?= $(ROOT)/build
BUILD_ASAN ?= $(ROOT)/build-asan
BUILD_RELEASE ?= $(ROOT)/build-release
BLOC := $(BUILD_RELEASE)/bloc
FORMAT_FILES = $(shell cd $(ROOT) && find src include tests bench examples -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)

.PHONY: all run check check-plain check-asan release install uninstall bench bench-ei bench-forecast \
	bench-simulate format format-check clean

all: release

release:
	$(CMAKE) -S $(ROOT) -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release
	$(CMAKE) --build $(BUILD_RELEASE) -j $(JOBS) --target bloc_cli

run: release
	@echo "== bloc results ge2024  (data: $(BLOC_DATA))"
	$(BLOC) --data $(BLOC_DATA) results ge2024
	@echo
	@echo "== bloc swing ge2019 ge2024 --pair CON,LAB"
	$(BLOC) --data $(BLOC_DATA) swing ge2019 ge2024 --pair CON,LAB

install:
	$(CMAKE) -S $(ROOT) -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX=$(abspath $(PREFIX))
	$(CMAKE) --build $(BUILD_RELEASE) -j $(JOBS)
	$(CMAKE) --install $(BUILD_RELEASE)

uninstall:
	sh $(ROOT)/cmake/uninstall.sh $(BUILD_RELEASE)

check: check-plain check-asan
	@echo "make check: all tests passed, plain and under ASan + UBSan"

check-plain:
	$(CMAKE) -S $(ROOT) -B $(BUILD)
	$(CMAKE) --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && $(CTEST) $(CTEST_FLAGS) -j $(JOBS)

check-asan: check-plain
	$(CMAKE) -S $(ROOT) -B $(BUILD_ASAN) -DBLOC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	$(CMAKE) --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && $(CTEST) $(CTEST_FLAGS) -j $(JOBS)

bench:
	$(CMAKE) -S $(ROOT) -B $(BUILD_RELEASE) -DCMAKE_BUILD_TYPE=Release
	$(CMAKE) --build $(BUILD_RELEASE) -j $(JOBS) --target bloc_cli bench_load bench_project
	$(ROOT)/bench/run.sh $(BUILD_RELEASE)

# Ecological inference side by side with R's eiPack and ei (several minutes; needs r-cran-eipack,
# r-cran-ei, r-cran-coda, r-cran-jsonlite)
bench-ei: release
	$(ROOT)/bench/ei/run.sh $(BLOC)

# The forecast Monte Carlo side by side with a vectorised R reference (needs r-cran-jsonlite)
bench-forecast: release
	$(ROOT)/bench/forecast/run.sh $(BLOC)

# The agent-based by-election side by side with an R reference using igraph (needs
# r-cran-igraph, r-cran-jsonlite)
bench-simulate: release
	$(ROOT)/bench/simulate/run.sh $(BLOC)

format:
	cd $(ROOT) && $(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	cd $(ROOT) && $(CLANG_FORMAT) --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_RELEASE)
