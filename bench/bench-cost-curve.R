# The cost of one exposure-outcome pair: mr() with TwoSampleMR's five default methods (MR
# Egger, weighted median, IVW, simple mode, weighted mode), one thread, as the number of
# SNPs (5 ... 5,000) and nboot (0 ... 10,000) grow. CPU time (user + system, median of
# repeated runs) is the figure plotted, as the machine may be shared; wall time is recorded.
# Writes bench/results/cost-curve.{csv,md,png}. Run from the package root:
#   Rscript bench/bench-cost-curve.R
# (MRKIT_BENCH_REPORT_ONLY=1 redraws the plot from the recorded CSV.)
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

nsnps <- c(5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
nboots <- c(0, 100, 1000, 10000)
methods <- c("mr_egger_regression", "mr_weighted_median", "mr_ivw", "mr_simple_mode", "mr_weighted_mode")
loadavg <- function() tryCatch(as.numeric(scan("/proc/loadavg", what = "", n = 1, quiet = TRUE)), error = function(e) NA)

time_cpu <- function(f, budget = 2) {
  f()  # warm-up
  runs <- list()
  start <- proc.time()[["elapsed"]]
  repeat {
    t0 <- proc.time()
    f()
    d <- proc.time() - t0
    runs[[length(runs) + 1L]] <- c(d[["elapsed"]], d[["user.self"]] + d[["sys.self"]])
    if (length(runs) >= 3L && (proc.time()[["elapsed"]] - start > budget || length(runs) >= 15L)) break
  }
  m <- do.call(rbind, runs)
  c(wall = stats::median(m[, 1]), cpu = stats::median(m[, 2]), runs = nrow(m))
}

report_only <- nzchar(Sys.getenv("MRKIT_BENCH_REPORT_ONLY"))
rows <- list()
for (J in if (report_only) integer() else nsnps) {
  dat <- simulate_mr_data(nsnp = J, b = 0.2, seed = J)
  for (B in nboots) {
    p <- default_parameters(nboot = max(B, 1))  # nboot = 0: the point estimates only (see below)
    ml <- if (B == 0) c("mr_egger_regression", "mr_ivw") else methods
    load0 <- loadavg()
    t <- time_cpu(function() suppressMessages(mr(dat, parameters = p, method_list = ml, threads = 1)))
    rows[[length(rows) + 1L]] <- data.frame(nsnp = J, nboot = B, cpu_ms = 1000 * t[["cpu"]],
                                            wall_ms = 1000 * t[["wall"]], runs = t[["runs"]],
                                            loadavg_1min = load0)
    cat(sprintf("nsnp %5d nboot %5d: %8.2f ms CPU\n", J, B, 1000 * t[["cpu"]]))
  }
}
if (report_only) {
  res <- utils::read.csv("bench/results/cost-curve.csv")
} else {
res <- do.call(rbind, rows)
write_bench(res, "cost-curve",
            c("mr() on one simulated pair (simulate_mr_data(nsnp, b = 0.2)), one thread, TwoSampleMR's five default methods with nboot replicates for the weighted median and the two modes.",
              "nboot = 0: the deterministic methods only (MR Egger and IVW), i.e. the fixed cost of a pair.",
              "cpu_ms: median CPU time (user + system) of repeated runs (at least 3, up to 15 within about 2 s); wall_ms likewise; loadavg_1min before each cell."))
}

if (requireNamespace("ggplot2", quietly = TRUE)) {
  label <- function(b) paste("nboot", formatC(b, format = "d", big.mark = ","))
  res$nboot_label <- factor(label(res$nboot), levels = label(nboots))
  g <- ggplot2::ggplot(res, ggplot2::aes(nsnp, cpu_ms, colour = nboot_label)) +
    ggplot2::geom_line() + ggplot2::geom_point() +
    ggplot2::scale_x_log10(breaks = nsnps) + ggplot2::scale_y_log10() +
    ggplot2::labs(x = "SNPs in the pair", y = "CPU time per pair (ms, log scale)", colour = NULL,
                  title = "mr(): cost of one pair, five default methods, one thread",
                  subtitle = paste0(sub(";.*", "", machine_info()), ", ", parallel::detectCores(),
                                    " cores, R ", getRversion(), ", ", format(Sys.Date()))) +
    ggplot2::theme_minimal(base_size = 11) + ggplot2::theme(legend.position = "bottom")
  ggplot2::ggsave("bench/results/cost-curve.png", g, width = 7, height = 4.8, dpi = 110)
}
