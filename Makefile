# mrkit developer commands. Each installs what is missing from CRAN first.
#   make install - install the package with its vignettes built (needs pandoc), so
#                  browseVignettes("mrkit") lists them
#   make install-quick - install from the source tree without vignettes (what test, demo,
#                  bench and site use). Incremental: only changed .cpp files recompile, and
#                  all of them when a header changed since the last install (see below).
#   make demo   - install mrkit and run a complete MR analysis on the shipped example data
#                 (installs only what the demo needs: Imports, LinkingTo, rmarkdown, knitr, pandoc)
#   make test   - install mrkit and run the test suite (ends with "N passed, N failed"); also
#                 installs the test packages and the reference packages parity tests compare to
#   make check  - R CMD build + R CMD check --as-cran
#   make bench  - benchmarks in bench/ (results in bench/results/)
#   make site   - the pkgdown site in docs/, built offline, then checked in headless Chromium
#                 (tools/check-site.R; writes man/figures/site-home.png)
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
# Dependency level of each target (tools/install-deps.R): build < demo < test < reference < dev
MRKIT_TEST_DEPS ?= reference
DEPS = $(RSCRIPT) tools/install-deps.R

.PHONY: deps install install-quick test demo check bench docs site clean core-test sanitize sanitize-r fuzz

deps:
	$(DEPS) $(MRKIT_TEST_DEPS)

# make does not know that src/*.o depend on the headers (inst/include/mrkit/**, src/*.h), and
# a header-only core means most changes are header changes. Rather than --preclean on every
# install, drop the objects only when a header is newer than the last install's stamp; a
# fresh clone, a header edit or a branch switch that changes a header all rebuild, and ccache
# (when configured) makes the untouched translation units cheap. Changed .cpp files are
# rebuilt by R's own make rules as usual.
HEADERS := $(shell find inst/include src -name '*.h' -o -name '*.hpp' 2>/dev/null)
.headers-stamp: $(HEADERS)
	rm -f src/*.o src/*.so src/*.dll
	touch $@

# Eigen's -Wignored-attributes warnings (thousands, from Eigen's own headers) are turned off
# for these builds by a user Makevars layer that keeps the developer's own settings
# (tools/quiet-eigen.Makevars); the package itself has no pragma or flag for them.
USER_MAKEVARS := $(or $(R_MAKEVARS_USER),$(wildcard $(HOME)/.R/Makevars))
INSTALL_QUICK = MAKEFLAGS=-j2 MRKIT_USER_MAKEVARS="$(USER_MAKEVARS)" \
  R_MAKEVARS_USER="$(CURDIR)/tools/quiet-eigen.Makevars" $(R) CMD INSTALL --no-multiarch .

# R CMD INSTALL on the source tree never builds vignettes. make install compiles once
# (incremental, as install-quick), builds the vignettes against that installed package into
# inst/doc as R CMD build would, and installs again (nothing left to compile) so that
# browseVignettes("mrkit") lists them. (R CMD build + installing its tarball compiles twice.)
install: .headers-stamp
	$(DEPS) demo
	$(INSTALL_QUICK)
ifeq ($(VIGNETTE_FLAGS),)
	$(RSCRIPT) tools/build-vignettes.R
	$(INSTALL_QUICK)
	rm -rf inst/doc
endif

install-quick: .headers-stamp
	$(DEPS) build
	$(INSTALL_QUICK)

test: .headers-stamp
	$(DEPS) $(MRKIT_TEST_DEPS)
	$(INSTALL_QUICK)
	$(RSCRIPT) tools/run-tests.R

demo: .headers-stamp
	$(DEPS) demo
	$(INSTALL_QUICK)
	$(RSCRIPT) tools/demo.R $(DEMO_DIR)

site: .headers-stamp
	$(DEPS) site
	$(INSTALL_QUICK)
	$(RSCRIPT) tools/build-site.R
	$(RSCRIPT) tools/check-site.R docs man/figures/site-home.png

docs:
	$(RSCRIPT) tools/install-deps.R dev
	$(RSCRIPT) -e 'roxygen2::roxygenise()'

check: deps
	rm -rf mrkit_*.tar.gz mrkit.Rcheck
	$(R) CMD build .
	_R_CHECK_LIMIT_CORES_=true _R_CHECK_SYSTEM_CLOCK_=0 $(R) CMD check --as-cran --no-manual mrkit_*.tar.gz
	@grep -q "Status: OK" mrkit.Rcheck/00check.log || (echo "R CMD check reported problems" && exit 1)

bench: .headers-stamp
	$(DEPS) $(MRKIT_TEST_DEPS)
	$(INSTALL_QUICK)
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
	rm -rf tools/core-tests/build mrkit_*.tar.gz mrkit.Rcheck src/*.o src/*.so .headers-stamp $(DEMO_DIR) docs
