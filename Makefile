# mrkit developer commands. Each installs what is missing from CRAN first.
#   make install - build the package with its vignettes (R CMD build, needs pandoc) and
#                  install that tarball, so browseVignettes("mrkit") lists them
#   make install-quick - install from the source tree without vignettes (what test and
#                  demo use: building the vignettes adds a few minutes)
#   make demo   - install mrkit and run a complete MR analysis on the shipped example data
#   make test   - install mrkit and run the test suite (ends with "N passed, N failed")
#   make check  - R CMD build + R CMD check --as-cran
#   make bench  - benchmarks in bench/ (results in bench/results/)
#   make core-test - the C++ core's own tests, without R (tools/core-tests/)
#   make sanitize  - the same tests under AddressSanitizer + UBSan
#   make sanitize-r - the R test suite against a package built with the sanitizers
#   make fuzz   - libFuzzer on every reader of outside bytes (FUZZ_SECONDS each)
R ?= R
RSCRIPT ?= Rscript
DEMO_DIR ?= demo-output
VERSION := $(shell sed -n 's/^Version: *//p' DESCRIPTION)
# Without pandoc the vignettes cannot be built; install the package without them.
VIGNETTE_FLAGS := $(if $(shell command -v pandoc),,--no-build-vignettes)
MRKIT_TEST_DEPS ?= reference

.PHONY: deps install install-quick test demo check bench docs clean core-test sanitize sanitize-r fuzz

deps:
	$(RSCRIPT) tools/install-deps.R $(MRKIT_TEST_DEPS)

# R CMD INSTALL on the source tree never builds vignettes; R CMD build does (into the
# tarball's inst/doc), and installing the tarball installs them with their index.
install: deps
	rm -f mrkit_$(VERSION).tar.gz
	MAKEFLAGS=-j2 $(R) CMD build --no-manual $(VIGNETTE_FLAGS) .
	MAKEFLAGS=-j2 $(R) CMD INSTALL --preclean --no-multiarch mrkit_$(VERSION).tar.gz

install-quick: deps
	MAKEFLAGS=-j2 $(R) CMD INSTALL --preclean --no-multiarch .

test: install-quick
	$(RSCRIPT) tools/run-tests.R

demo: install-quick
	$(RSCRIPT) tools/demo.R $(DEMO_DIR)

docs:
	$(RSCRIPT) tools/install-deps.R dev
	$(RSCRIPT) -e 'roxygen2::roxygenise()'

check: deps
	rm -rf mrkit_*.tar.gz mrkit.Rcheck
	$(R) CMD build .
	_R_CHECK_LIMIT_CORES_=true _R_CHECK_SYSTEM_CLOCK_=0 $(R) CMD check --as-cran --no-manual mrkit_*.tar.gz
	@grep -q "Status: OK" mrkit.Rcheck/00check.log || (echo "R CMD check reported problems" && exit 1)

bench: install-quick
	$(RSCRIPT) bench/run-all.R

core-test:
	$(MAKE) -C tools/core-tests test

sanitize:
	$(MAKE) -C tools/core-tests sanitize

sanitize-r:
	sh tools/core-tests/sanitize-r.sh

fuzz:
	$(MAKE) -C tools/core-tests fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

clean:
	rm -rf tools/core-tests/build mrkit_*.tar.gz mrkit.Rcheck src/*.o src/*.so $(DEMO_DIR)
