# Install what mrkit needs from CRAN, only what is missing. Usage:
#   Rscript tools/install-deps.R [build|test|reference|dev]
# build: Imports + LinkingTo; test: + testthat, withr; reference: + the packages that
# parity tests compare against (MendelianRandomization, mr.raps); dev: + roxygen2.
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
base_pkgs <- rownames(installed.packages(priority = "base"))
need <- setdiff(c(field("Imports"), field("LinkingTo")), base_pkgs)
if (level %in% c("test", "reference", "dev")) need <- c(need, "testthat", "withr")
if (level == "dev") need <- c(need, "roxygen2")
missing <- need[!vapply(need, requireNamespace, logical(1), quietly = TRUE)]
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
  debian <- c("r-cran-ggplot2", "r-cran-plotly", "r-cran-robustbase", "r-cran-quantreg",
              "r-cran-glmnet", "r-cran-knitr", "r-cran-rmarkdown", "r-cran-rjson", "r-cran-gmp")
  is_root <- identical(Sys.info()[["user"]], "root")
  if (is_root && nzchar(Sys.which("apt-get"))) {
    message("Installing MendelianRandomization's dependencies from Debian")
    system2("apt-get", c("update", "-qq"), stdout = FALSE, stderr = FALSE)
    system2("apt-get", c("install", "-y", "-qq", "--no-install-recommends", debian),
            stdout = FALSE, stderr = FALSE, env = "DEBIAN_FRONTEND=noninteractive")
  }
  ok <- tryCatch({
    install.packages("MendelianRandomization", repos = repos, Ncpus = max(1L, parallel::detectCores()))
    requireNamespace("MendelianRandomization", quietly = TRUE)
  }, error = function(e) FALSE)
  if (!ok) message("MendelianRandomization could not be installed; its comparison tests will be skipped.")
}
