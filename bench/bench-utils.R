# Shared helpers for bench/ scripts: timing (median of repeated runs), machine facts and
# writing results. Benchmarks are not tests; they record figures in bench/results/.

bench_time <- function(expr, reps = 10L, warmup = 1L) {
  f <- eval(substitute(function() expr), parent.frame())
  for (i in seq_len(warmup)) f()
  t <- vapply(seq_len(reps), function(i) {
    t0 <- proc.time()[["elapsed"]]
    f()
    proc.time()[["elapsed"]] - t0
  }, numeric(1))
  c(median = stats::median(t), min = min(t), max = max(t), reps = reps)
}

machine_info <- function() {
  cpu <- tryCatch({
    l <- readLines("/proc/cpuinfo", warn = FALSE)
    sub(".*: ", "", l[grepl("^model name", l)][1])
  }, error = function(e) NA_character_)
  sprintf("%s; %d cores; %s; mrkit %s", cpu, parallel::detectCores(), R.version.string,
          format(utils::packageVersion("mrkit")))
}

shared_data <- function(...) {
  p <- file.path(Sys.getenv("MRKIT_SHARED", file.path("..", "shared")), ...)
  if (file.exists(p)) p else NA_character_
}

# The two data sets of the mr() benchmarks: BMI -> CHD (79 SNPs, from ../shared when
# present) and 1,000 simulated SNPs with balanced pleiotropy.
mr_bench_datasets <- function() {
  datasets <- list()
  f <- shared_data("data", "bmi_chd", "harmonised.csv")
  if (!is.na(f)) datasets[["BMI->CHD (79 SNPs)"]] <- utils::read.csv(f)
  datasets[["simulated (1,000 SNPs)"]] <- simulate_mr_data(nsnp = 1000, b = 0.3, pleiotropy = "balanced", seed = 1)
  datasets
}

write_bench <- function(df, name, notes = character()) {
  dir.create("bench/results", showWarnings = FALSE, recursive = TRUE)
  utils::write.csv(df, file.path("bench/results", paste0(name, ".csv")), row.names = FALSE)
  md <- c(paste0("# ", name), "", paste0("Machine: ", machine_info()),
          paste0("Date: ", format(Sys.time(), "%Y-%m-%d")), "", notes, "",
          knitr_table(df))
  writeLines(md, file.path("bench/results", paste0(name, ".md")))
  print(df, row.names = FALSE)
}

knitr_table <- function(df) {
  fmt <- as.data.frame(lapply(df, function(x) if (is.numeric(x)) format(signif(x, 4)) else as.character(x)))
  c(paste("|", paste(names(fmt), collapse = " | "), "|"),
    paste("|", paste(rep("---", ncol(fmt)), collapse = " | "), "|"),
    apply(fmt, 1, function(r) paste("|", paste(r, collapse = " | "), "|")))
}

# Genome-wide association p-values on a simulated panel's variants (simulate_ld_panel()
# $variants): `n_causal` causal variants whose association decays along their block with
# the simulator's LD (signs from the orientations), standard normal z elsewhere.
simulate_panel_pvalues <- function(v, n_causal = 150, seed = 2) {
  set.seed(seed)
  n_var <- nrow(v)
  causal <- sort(sample(n_var, n_causal))
  z <- stats::rnorm(n_var)
  for (c in causal) {
    j <- which(v$block == v$block[c])
    z[j] <- z[j] + stats::runif(1, 6, 15) * 0.95^abs(j - c) * v$orientation[j] * v$orientation[c]
  }
  2 * stats::pnorm(-abs(z))
}

# A scratch folder for a benchmark script's files, inside the session's temporary directory,
# which R removes when the script ends (a top-level on.exit() does nothing in a script).
bench_workdir <- function(name) {
  dir <- tempfile(paste0("mrkit-bench-", name, "-"))
  dir.create(dir)
  dir
}
