# Coverage and type-I error of every mr() method: a simulation study, not a test.
#
#   Rscript bench/sim-coverage.R [replicates] [threads]
#
# For each number of variants J in {5, 10, 30, 100}, each pleiotropy scenario and each true
# effect (b = 0.2 for coverage, b = 0 for type-I error), `replicates` data sets are drawn
# with simulate_mr_data() and every method of mr_method_list() that mr() runs for J > 1 is
# applied (all replicates of a cell as one multi-pair table, so mr() spreads them over
# `threads`). Recorded per method and cell: coverage of the reported [lo_ci, up_ci] of the
# true b, the rejection rate of pval < 0.05, with Monte Carlo standard errors, and the mean
# bias and empirical SD of the estimates.
#
# Scenarios (simulate_mr_data() defaults otherwise: mean F = 50, n = 100,000 per sample):
#   none         all variants valid;
#   balanced     20% of variants with pleiotropic effects N(0, 0.5 median|gamma|);
#   directional  20% with effects of mean 0.5 median|gamma| (SD 0.5) on the exposure-
#                increasing allele (InSIDE holds).
#
# Each cell is cached in bench/results/coverage-cache/ (ignored by git) under its seed and
# replicate count, so an interrupted run resumes where it stopped. Outputs:
# bench/results/coverage.csv, coverage.md (tables) and coverage.png (figure).
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

args <- commandArgs(trailingOnly = TRUE)
n_rep <- if (length(args) >= 1) as.integer(args[1]) else 1000L
threads <- if (length(args) >= 2) as.integer(args[2]) else max(1L, parallel::detectCores())
label <- Sys.getenv("MRKIT_COVERAGE_LABEL", "")
stopifnot(!is.na(n_rep), n_rep >= 10)

Js <- c(5L, 10L, 30L, 100L)
scenarios <- c("none", "balanced", "directional")
truths <- c(0.2, 0)
alpha <- 0.05
params <- default_parameters(alpha = alpha)
tab <- mr_method_list()
methods <- tab$obj[tab$obj != "mr_wald_ratio"]
# Cached cells are keyed by the installed mrkit's code (R and compiled), so a rebuilt package
# never reuses cells computed by another version.
pkg_dir <- find.package("mrkit")
code_files <- c(file.path(pkg_dir, "R", "mrkit.rdb"),
                list.files(file.path(pkg_dir, "libs"), pattern = "\\.(so|dll)$", full.names = TRUE))
fp_file <- tempfile()
writeLines(unname(tools::md5sum(code_files)), fp_file)
code_fp <- substr(unname(tools::md5sum(fp_file)), 1, 10)
cache_dir <- file.path("bench", "results", "coverage-cache")
dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
writeLines("*", file.path(cache_dir, ".gitignore"))

# One cell: n_rep data sets stacked as pairs exp1..expN on one outcome, one mr() call.
run_cell <- function(J, scenario, b, seed) {
  set.seed(seed)
  sims <- lapply(seq_len(n_rep), function(i) {
    d <- simulate_mr_data(nsnp = J, b = b, pleiotropy = scenario,
                          id_exposure = paste0("rep", i), exposure = paste0("rep", i))
    d$SNP <- paste0(d$SNP, "_", i)
    d
  })
  dat <- do.call(rbind, sims)
  res <- suppressWarnings(suppressMessages(
    mr(dat, parameters = params, method_list = methods, threads = threads)))
  res <- as.data.frame(res)
  data.frame(J = J, scenario = scenario, b_true = b, rep = res$id.exposure, method = res$method,
             b = res$b, se = res$se, pval = res$pval, lo_ci = res$lo_ci, up_ci = res$up_ci,
             stringsAsFactors = FALSE)
}

cells <- expand.grid(b = truths, scenario = scenarios, J = Js, stringsAsFactors = FALSE)
cells$seed <- 20261206L + seq_len(nrow(cells))
t_start <- proc.time()[["elapsed"]]
raw <- vector("list", nrow(cells))
for (k in seq_len(nrow(cells))) {
  cl <- cells[k, ]
  f <- file.path(cache_dir, sprintf("J%03d-%s-b%s-n%d-seed%d-%s.rds", cl$J, cl$scenario, cl$b,
                                    n_rep, cl$seed, code_fp))
  t0 <- proc.time()[["elapsed"]]
  if (file.exists(f)) {
    raw[[k]] <- readRDS(f)
    status <- "cached"
  } else {
    raw[[k]] <- run_cell(cl$J, cl$scenario, cl$b, cl$seed)
    saveRDS(raw[[k]], f)
    status <- sprintf("%.0f s", proc.time()[["elapsed"]] - t0)
  }
  cat(sprintf("[%2d/%d] J = %3d, %-11s b = %.1f: %s (elapsed %.0f s)\n", k, nrow(cells), cl$J,
              cl$scenario, cl$b, status, proc.time()[["elapsed"]] - t_start))
}
raw <- do.call(rbind, raw)

# Summaries per method and cell. Coverage counts replicates with an interval; a method
# with no interval (sign concordance) has coverage NA. Rejection: pval < alpha.
key <- interaction(raw$method, raw$J, raw$scenario, raw$b_true, drop = TRUE, lex.order = TRUE)
summ <- do.call(rbind, lapply(split(raw, key), function(x) {
  covered <- x$lo_ci <= x$b_true & x$b_true <= x$up_ci
  n_ci <- sum(!is.na(covered))
  cov <- if (n_ci) mean(covered, na.rm = TRUE) else NA_real_
  n_p <- sum(!is.na(x$pval))
  rej <- if (n_p) mean(x$pval < alpha, na.rm = TRUE) else NA_real_
  data.frame(method = x$method[1], J = x$J[1], scenario = x$scenario[1], b_true = x$b_true[1],
             n_rep = n_rep, n_estimated = n_p, coverage = cov,
             coverage_mcse = if (n_ci) sqrt(cov * (1 - cov) / n_ci) else NA_real_,
             rejection = rej, rejection_mcse = if (n_p) sqrt(rej * (1 - rej) / n_p) else NA_real_,
             bias = mean(x$b - x$b_true, na.rm = TRUE), emp_sd = stats::sd(x$b, na.rm = TRUE),
             mean_se = mean(x$se, na.rm = TRUE), stringsAsFactors = FALSE)
}))
summ$scenario <- factor(summ$scenario, scenarios)
summ <- summ[order(summ$b_true != 0.2, summ$scenario, summ$method, summ$J), ]
rownames(summ) <- NULL
summ$scenario <- as.character(summ$scenario)
utils::write.csv(summ, file.path("bench", "results", "coverage.csv"), row.names = FALSE)

# Markdown: coverage (b = 0.2) and type-I error (b = 0), one column per J and scenario.
# A method "holds nominal" in a cell when its coverage is at least 0.95 - 2 MC SE.
wide <- function(stat, b) {
  s <- summ[summ$b_true == b, ]
  s$col <- paste0(s$scenario, " J=", s$J)
  cols <- unique(s$col[order(match(s$scenario, scenarios), s$J)])
  m <- tapply(s[[stat]], list(s$method, factor(s$col, cols)), function(v) v[1])
  cells <- ifelse(is.na(m), "-", sprintf("%.3f", m))
  c(paste("| method |", paste(cols, collapse = " | "), "|"),
    paste("|", paste(rep("---", length(cols) + 1), collapse = " | "), "|"),
    paste("|", rownames(m), "|", apply(cells, 1, paste, collapse = " | "), "|"))
}
nominal_low <- 0.95 - 2 * sqrt(0.95 * 0.05 / n_rep)
held <- summ[summ$b_true == 0.2 & !is.na(summ$coverage), ]
held$ok <- held$coverage >= nominal_low
not_ok <- held[!held$ok, c("method", "scenario", "J", "coverage")]
elapsed <- proc.time()[["elapsed"]] - t_start
md <- c("# Coverage and type-I error of mr() methods",
        "",
        if (nzchar(label)) c(paste0("**", label, "**"), "") else NULL,
        paste0("Machine: ", machine_info()),
        paste0("Date: ", format(Sys.time(), "%Y-%m-%d"), "; ", n_rep, " replicates per cell; ",
               "threads = ", threads, "; run time ", round(elapsed / 60, 1), " min ",
               "(cached cells not counted)."),
        "",
        paste0("Script: `Rscript bench/sim-coverage.R ", n_rep, "`."),
        "Data: simulate_mr_data() with mean F = 50 and 100,000 per sample; scenarios `none`,",
        "`balanced` (20% of variants pleiotropic, mean 0) and `directional` (20%, mean 0.5",
        "median |gamma|, InSIDE holds). Intervals are mr()'s `lo_ci`, `up_ci` at level 0.95;",
        "rejection is `pval < 0.05`. Monte Carlo SE of a 0.95 coverage:",
        sprintf("%.4f; cells below %.3f (0.95 - 2 MC SE) are listed at the end.",
                sqrt(0.95 * 0.05 / n_rep), nominal_low),
        "",
        "## Coverage of the true effect b = 0.2", "", wide("coverage", 0.2), "",
        "## Type-I error (b = 0, rejection rate at 0.05)", "", wide("rejection", 0), "",
        "## Power (b = 0.2, rejection rate at 0.05)", "", wide("rejection", 0.2), "",
        "## Cells below nominal coverage (b = 0.2)", "",
        if (nrow(not_ok)) knitr_table(not_ok[order(not_ok$method, not_ok$scenario, not_ok$J), ]) else "None.")
writeLines(md, file.path("bench", "results", "coverage.md"))

# Figure: coverage by method and J, one panel per scenario, nominal line and MC band.
if (requireNamespace("ggplot2", quietly = TRUE)) {
  s <- summ[summ$b_true == 0.2 & !is.na(summ$coverage), ]
  s$scenario <- factor(s$scenario, scenarios, c("No pleiotropy", "Balanced pleiotropy",
                                                 "Directional pleiotropy"))
  s$J <- factor(s$J, Js)
  band <- 2 * sqrt(0.95 * 0.05 / n_rep)
  pal <- tryCatch(mr_method_colours(), error = function(e) NULL)
  p <- ggplot2::ggplot(s, ggplot2::aes(x = coverage, y = method, colour = J)) +
    ggplot2::annotate("rect", xmin = 0.95 - band, xmax = 0.95 + band, ymin = -Inf, ymax = Inf,
                      alpha = 0.15) +
    ggplot2::geom_vline(xintercept = 0.95, linetype = "dashed") +
    ggplot2::geom_point(position = ggplot2::position_dodge(width = 0.6), size = 1.6) +
    ggplot2::facet_wrap(~scenario, nrow = 1) +
    ggplot2::scale_colour_viridis_d(end = 0.85, name = "Variants (J)") +
    ggplot2::coord_cartesian(xlim = c(max(0, min(s$coverage, 0.5)), 1)) +
    ggplot2::labs(x = "Coverage of the 95% interval (true b = 0.2)", y = NULL,
                  title = "Coverage of mr() methods by number of variants",
                  subtitle = paste0(n_rep, " replicates per cell; dashed line: nominal 0.95, ",
                                    "band: +/- 2 Monte Carlo SE",
                                    if (nzchar(label)) paste0("; ", label) else "")) +
    ggplot2::theme_bw(base_size = 9) + ggplot2::theme(legend.position = "bottom")
  ggplot2::ggsave(file.path("bench", "results", "coverage.png"), p, width = 11,
                  height = 7.5, dpi = 110)
}
cat(sprintf("Done in %.1f min; cells below nominal coverage: %d of %d.\n", elapsed / 60,
            nrow(not_ok), nrow(held)))
