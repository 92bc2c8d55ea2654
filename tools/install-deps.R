# Install what mrkit needs from CRAN, only what is missing. Usage:
#   Rscript tools/install-deps.R [build|test|reference|dev]
# build: Imports + LinkingTo; test: + testthat, withr and what the plot and report tests
# use (vdiffr, ggrepel, rmarkdown, knitr, pandoc, Chromium); reference: + the packages that
# parity tests compare against (MendelianRandomization); dev: + roxygen2.
# As root on Debian, packages that Debian ships prebuilt come from there first (much
# faster than building from source); CRAN fills in whatever is still missing.
args <- commandArgs(trailingOnly = TRUE)
level <- if (length(args)) args[[1]] else "test"
repos <- getOption("repos")
if (is.null(repos) || identical(unname(repos["CRAN"]), "@CRAN@")) repos <- c(CRAN = "https://cloud.r-project.org")

desc <- read.dcf("DESCRIPTION")
field <- function(f) {
  if (!f %in% colnames(desc)) return(character())
  x <- trimws(strsplit(gsub("\n", " ", desc[1, f]), ",")[[1]])
  x <- sub("\\s*\\(.*\\)$", "", x)
  setdiff(x[nzchar(x)], "R")
}
is_root <- identical(Sys.info()[["user"]], "root")
apt_ok <- is_root && nzchar(Sys.which("apt-get"))
apt_updated <- FALSE
apt_install <- function(debs) {
  if (!apt_ok || !length(debs)) return(invisible(FALSE))
  if (!apt_updated) {
    system2("apt-get", c("update", "-qq"), stdout = FALSE, stderr = FALSE)
    apt_updated <<- TRUE
  }
  message("Installing from Debian: ", paste(debs, collapse = ", "))
  system2("apt-get", c("install", "-y", "-qq", "--no-install-recommends", debs),
          stdout = FALSE, stderr = FALSE, env = "DEBIAN_FRONTEND=noninteractive")
}
has_pkg <- function(p) requireNamespace(p, quietly = TRUE)

base_pkgs <- rownames(installed.packages(priority = "base"))
need <- setdiff(c(field("Imports"), field("LinkingTo")), base_pkgs)
test_pkgs <- c("testthat", "withr", "vdiffr", "ggrepel", "rmarkdown", "knitr")
if (level %in% c("test", "reference", "dev")) need <- c(need, test_pkgs)
if (level == "dev") need <- c(need, "roxygen2")
missing <- need[!vapply(need, has_pkg, logical(1))]
# Debian's r-cran-bh is only a pointer to the system Boost headers, which R CMD check reports
# as an unused LinkingTo: BH always comes from CRAN.
if (length(missing)) apt_install(paste0("r-cran-", tolower(setdiff(missing, "BH"))))
# The report test renders with pandoc and reads the page in headless Chromium; R CMD check
# compresses the built vignettes with qpdf.
if (level %in% c("test", "reference", "dev")) {
  tools_missing <- c(pandoc = "pandoc", chromium = "chromium", qpdf = "qpdf")
  tools_missing <- tools_missing[!nzchar(Sys.which(tools_missing))]
  apt_install(unname(tools_missing))
}
missing <- need[!vapply(need, has_pkg, logical(1))]
if (length(missing)) {
  message("Installing from CRAN: ", paste(missing, collapse = ", "))
  install.packages(missing, repos = repos, Ncpus = max(1L, parallel::detectCores()))
  still <- missing[!vapply(missing, requireNamespace, logical(1), quietly = TRUE)]
  if (length(still)) stop("Could not install: ", paste(still, collapse = ", "))
} else {
  message("All required dependencies present.")
}

# Reference packages that parity tests compare against. Best effort: their tests skip when
# they are absent, so a failure here never fails the build. MendelianRandomization's CRAN
# dependencies (plotly, ggplot2, ...) need system libraries; as root on Debian, take them
# prebuilt from Debian first.
if (level %in% c("reference", "dev") && !requireNamespace("MendelianRandomization", quietly = TRUE)) {
  apt_install(c("r-cran-ggplot2", "r-cran-plotly", "r-cran-robustbase", "r-cran-quantreg",
                "r-cran-glmnet", "r-cran-knitr", "r-cran-rmarkdown", "r-cran-rjson", "r-cran-gmp"))
  ok <- tryCatch({
    install.packages("MendelianRandomization", repos = repos, Ncpus = max(1L, parallel::detectCores()))
    requireNamespace("MendelianRandomization", quietly = TRUE)
  }, error = function(e) FALSE)
  if (!ok) message("MendelianRandomization could not be installed; its comparison tests will be skipped.")
}
