# Install what mrkit needs from CRAN, only what is missing. Usage:
#   Rscript tools/install-deps.R [build|demo|test|site|reference|dev]
# build: Imports + LinkingTo (make install-quick);
# demo: + what the demo's report and the vignettes use (rmarkdown, knitr, pandoc) (make demo,
#   make install);
# test: + testthat, withr and what the plot and report tests use (vdiffr, ggrepel, Chromium,
#   qpdf for R CMD check);
# site: test + pkgdown (make site);
# reference: test + the packages that parity tests compare against (MendelianRandomization)
#   and pngquant (make test, make check, make bench);
# dev: reference + roxygen2 + pkgdown.
# As root on Debian, packages that Debian ships prebuilt come from there first (much
# faster than building from source), with apt's output shown; CRAN fills in whatever is
# still missing.
args <- commandArgs(trailingOnly = TRUE)
level <- if (length(args)) args[[1]] else "test"
levels <- c("build", "demo", "test", "site", "reference", "dev")
if (!level %in% levels) stop("Unknown level '", level, "': one of ", paste(levels, collapse = ", "))
# Which levels include which package sets
at_least <- function(...) level %in% c(...)
want_demo <- at_least("demo", "test", "site", "reference", "dev")
want_test <- at_least("test", "site", "reference", "dev")
want_site <- at_least("site", "dev")
want_reference <- at_least("reference", "dev")
repos <- getOption("repos")
if (is.null(repos) || identical(unname(repos["CRAN"]), "@CRAN@")) repos <- c(CRAN = "https://cloud.r-project.org")

desc <- read.dcf("DESCRIPTION")
field_entries <- function(f) {
  if (!f %in% colnames(desc)) return(character())
  x <- trimws(strsplit(gsub("\n", " ", desc[1, f]), ",")[[1]])
  x[nzchar(x)]
}
field <- function(f) {
  x <- sub("\\s*\\(.*\\)$", "", field_entries(f))
  setdiff(x, "R")
}
# Minimum versions that DESCRIPTION asks for ("pkg (>= x.y)"): an older installed copy counts
# as missing, so CRAN's current one is installed over it (into the first library in
# .libPaths(), which comes before Debian's /usr/lib/R/site-library).
min_versions <- local({
  x <- unlist(lapply(c("Imports", "LinkingTo", "Suggests"), field_entries))
  x <- x[grepl("\\(\\s*>=", x)]
  setNames(sub(".*>=\\s*([0-9.-]+).*", "\\1", x), sub("\\s*\\(.*$", "", x))
})
is_root <- identical(Sys.info()[["user"]], "root")
apt_ok <- is_root && nzchar(Sys.which("apt-get"))
apt_updated <- FALSE
# Only the packages Debian has are asked for (one unknown name would make apt-get install
# nothing); apt's own output stays visible, so a long download is not a silent wait.
apt_install <- function(debs) {
  if (!apt_ok || !length(debs)) return(invisible(FALSE))
  if (!apt_updated) {
    system2("apt-get", c("update", "-qq"), stdout = FALSE, stderr = "")
    apt_updated <<- TRUE
  }
  known <- debs[vapply(debs, function(d) {
    out <- suppressWarnings(system2("apt-cache", c("show", "--no-all-versions", d),
                                    stdout = TRUE, stderr = FALSE))
    length(out) > 0 && is.null(attr(out, "status"))
  }, logical(1))]
  if (!length(known)) return(invisible(FALSE))
  message("Installing from Debian: ", paste(known, collapse = ", "))
  system2("apt-get", c("install", "-y", "-q", "--no-install-recommends", known),
          env = "DEBIAN_FRONTEND=noninteractive")
}
has_pkg <- function(p) {
  if (!requireNamespace(p, quietly = TRUE)) return(FALSE)
  !p %in% names(min_versions) ||
    utils::packageVersion(p) >= package_version(min_versions[[p]])
}
installed_at_all <- function(p) nzchar(system.file(package = p))

base_pkgs <- rownames(installed.packages(priority = "base"))
need <- setdiff(c(field("Imports"), field("LinkingTo")), base_pkgs)
if (want_demo) need <- c(need, "rmarkdown", "knitr")
if (want_test) need <- c(need, "testthat", "withr", "vdiffr", "ggrepel", "tibble", "data.table")
if (want_site) need <- c(need, "pkgdown")
if (level == "dev") need <- c(need, "roxygen2")
missing <- need[!vapply(need, has_pkg, logical(1))]
# Debian's r-cran-bh is only a pointer to the system Boost headers, which R CMD check reports
# as an unused LinkingTo: BH always comes from CRAN.
# (Debian is asked only for packages not installed at all: one that is there but older than
# DESCRIPTION requires is Debian's already.)
absent <- missing[!vapply(missing, installed_at_all, logical(1))]
if (length(absent)) apt_install(paste0("r-cran-", tolower(setdiff(absent, "BH"))))
# The CRAN package libdeflate builds its bundled library with CMake.
if ("libdeflate" %in% missing && !nzchar(Sys.which("cmake"))) apt_install("cmake")
# The demo's report and the vignettes render with pandoc; the report test and the site check
# read pages in headless Chromium; R CMD check compresses the built vignettes with qpdf.
# For make check (R CMD build), the vignettes compress their plots with pngquant (their
# setup chunks; under half the bytes of the images, the package's installed size).
tools_wanted <- c(pandoc = "pandoc")
if (want_test) tools_wanted <- c(tools_wanted, chromium = "chromium", qpdf = "qpdf")
if (want_reference) tools_wanted <- c(tools_wanted, pngquant = "pngquant")
if (want_demo) {
  tools_missing <- tools_wanted[!nzchar(Sys.which(tools_wanted))]
  apt_install(unname(tools_missing))
}
missing <- need[!vapply(need, has_pkg, logical(1))]
if (length(missing)) {
  message("Installing from CRAN: ", paste(missing, collapse = ", "))
  install.packages(missing, repos = repos, Ncpus = max(1L, parallel::detectCores()))
  still <- missing[!vapply(missing, has_pkg, logical(1))]
  if (length(still)) stop("Could not install: ", paste(still, collapse = ", "))
} else {
  message("All required dependencies present.")
}

# Reference packages that parity tests compare against. Best effort: their tests skip when
# they are absent, so a failure here never fails the build. MendelianRandomization's CRAN
# dependencies (plotly, ggplot2, ...) need system libraries; as root on Debian, take them
# prebuilt from Debian first.
if (want_reference && !requireNamespace("MendelianRandomization", quietly = TRUE)) {
  apt_install(c("r-cran-ggplot2", "r-cran-plotly", "r-cran-robustbase", "r-cran-quantreg",
                "r-cran-glmnet", "r-cran-knitr", "r-cran-rmarkdown", "r-cran-rjson", "r-cran-gmp"))
  ok <- tryCatch({
    install.packages("MendelianRandomization", repos = repos, Ncpus = max(1L, parallel::detectCores()))
    requireNamespace("MendelianRandomization", quietly = TRUE)
  }, error = function(e) FALSE)
  if (!ok) message("MendelianRandomization could not be installed; its comparison tests will be skipped.")
}

# Optional packages whose tests skip without them: colocalisation (coloc, susieR), the
# scheduler and progress paths of the designs (future.*, batchtools, progressr) and the
# OpenGWAS layer (ieugwasr). Best effort, Debian first.
if (want_reference) {
  optional <- c("future", "future.apply", "progressr", "batchtools", "future.batchtools",
                "coloc", "susieR", "ieugwasr", "jsonlite", "curl")
  optional <- optional[!vapply(optional, has_pkg, logical(1))]
  if (length(optional)) apt_install(paste0("r-cran-", tolower(optional)))
  optional <- optional[!vapply(optional, has_pkg, logical(1))]
  if (length(optional)) {
    tryCatch(install.packages(optional, repos = repos, Ncpus = max(1L, parallel::detectCores())),
             error = function(e) message("Optional packages not installed: ", conditionMessage(e)))
  }
}
