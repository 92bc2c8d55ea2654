# Build the pkgdown site into docs/, offline, from the installed mrkit (`make site` installs
# it first, without --preclean). Usage: Rscript tools/build-site.R [--lazy]
# (--lazy: only pages whose sources changed since the last build)
# - pkgdown.internet = FALSE: no look-up of the package on CRAN/Bioconductor for the home
#   page's sidebar (the only network access pkgdown makes when _pkgdown.yml has no `url`).
# - devel = FALSE, install = FALSE: examples and articles run against the installed package;
#   devel = TRUE would load_all() it, which recompiles src/ at -O0 and leaves those objects
#   behind for the next R CMD INSTALL.
# - new_process = FALSE, preview = FALSE: no second R session, no browser.
# - downlit links code in the articles to each package's site; for a package that is not
#   installed (TwoSampleMR, ieugwasr, ...) it downloads CRAN's package database, and stops
#   the build when that fails. Offline, such packages are simply not linked.
if (!requireNamespace("pkgdown", quietly = TRUE)) {
  stop("pkgdown is not installed: install.packages(\"pkgdown\") or apt-get install r-cran-pkgdown")
}
if (!requireNamespace("mrkit", quietly = TRUE)) stop("mrkit is not installed: run `make install-quick` first")
options(pkgdown.internet = FALSE, warn = 1)
Sys.setenv(NOT_CRAN = "true")
if (requireNamespace("downlit", quietly = TRUE) && exists("CRAN_urls", asNamespace("downlit"))) {
  utils::assignInNamespace("CRAN_urls", function() data.frame(Package = character(), URL = character()),
                           ns = "downlit")
}
lazy <- "--lazy" %in% commandArgs(trailingOnly = TRUE)
started <- Sys.time()
pkgdown::build_site(".", examples = TRUE, devel = FALSE, install = FALSE, new_process = FALSE,
                    preview = FALSE, lazy = lazy)
message(sprintf("Site built in docs/ in %.0f s", as.numeric(difftime(Sys.time(), started, units = "secs"))))
