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
if (level %in% c("reference", "dev")) need <- c(need, "MendelianRandomization", "mr.raps")
if (level == "dev") need <- c(need, "roxygen2")
missing <- need[!vapply(need, requireNamespace, logical(1), quietly = TRUE)]
if (length(missing)) {
  message("Installing from CRAN: ", paste(missing, collapse = ", "))
  install.packages(missing, repos = repos, Ncpus = max(1L, parallel::detectCores()))
  still <- missing[!vapply(missing, requireNamespace, logical(1), quietly = TRUE)]
  if (length(still)) stop("Could not install: ", paste(still, collapse = ", "))
} else {
  message("All dependencies present.")
}
