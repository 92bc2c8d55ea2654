# GSMR on gsmr's LDL-c -> CAD example (../shared/data/gsmr_ldl_cad: 188 instruments, LD
# matrix, n_ref = 7703): mrkit::mr_gsmr() against gsmr2 1.1.1 in the same run, for
# single-SNP HEIDI (gsmr2's default), no HEIDI and global HEIDI (gsmr2_beta = 1). gsmr2 is
# not on CRAN: run with it installed (e.g. R_LIBS=<lib with gsmr2>:...), else only mrkit's
# times are recorded. Median wall time after one warm-up.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

f <- shared_data("data", "gsmr_ldl_cad", "gsmr_data.csv")
if (is.na(f)) stop("../shared/data/gsmr_ldl_cad is needed")
d <- utils::read.csv(f, stringsAsFactors = FALSE)
ld <- as.matrix(utils::read.csv(gzfile(shared_data("data", "gsmr_ldl_cad", "ld_matrix.csv.gz")), check.names = FALSE))
rownames(ld) <- colnames(ld)
have_gsmr2 <- requireNamespace("gsmr2", quietly = TRUE)

# CPU seconds (user + system) of this process, median over runs: less distorted than wall
# time when the machine is shared.
cpu_time <- function(expr, reps) {
  f <- eval(substitute(function() expr), parent.frame())
  stats::median(vapply(seq_len(reps), function(i) {
    t0 <- proc.time()
    f()
    t <- proc.time() - t0
    t[["user.self"]] + t[["sys.self"]]
  }, numeric(1)))
}

cases <- list(
  list(name = "single-SNP HEIDI (default)", heidi = "single", flag = TRUE, beta = 0, reps = 10L, reps_ref = 5L),
  list(name = "no HEIDI", heidi = "none", flag = FALSE, beta = 0, reps = 10L, reps_ref = 5L),
  list(name = "global HEIDI (gsmr2_beta = 1)", heidi = "global", flag = TRUE, beta = 1, reps = 3L, reps_ref = 2L)
)
load_before <- tryCatch(readLines("/proc/loadavg", n = 1L), error = function(e) NA_character_)
rows <- list()
for (cs in cases) {
  run_mrkit <- function(threads = 1L) {
    suppressMessages(mr_gsmr(d$bzx, d$bzy, d$bzx_se, d$bzy_se, ld = unname(ld), n_ref = 7703,
                             pval_exp = d$bzx_pval, heidi = cs$heidi, top_snp = "gsmr2", threads = threads))
  }
  fit <- run_mrkit()
  t1 <- bench_time(run_mrkit(1L), reps = cs$reps)
  t2 <- bench_time(run_mrkit(2L), reps = cs$reps)
  ctl <- list(n_ref = 7703, gwas_thresh = 5e-8, single_snp_heidi_thresh = 0.01, multi_snp_heidi_thresh = 0.01,
              nsnps_thresh = 10L, ld_r2_thresh = 0.05, ld_fdr_thresh = 0.05, heidi = cs$heidi, top_snp = "gsmr2")
  tc <- bench_time(mrkit:::cpp_gsmr(d$bzx, d$bzx_se, d$bzy, d$bzy_se, d$bzx_pval, unname(ld), ctl, 1L),
                   reps = cs$reps)
  c1 <- cpu_time(run_mrkit(1L), reps = cs$reps)
  row <- data.frame(analysis = cs$name, nsnp = fit$nsnp, b = fit$b, se = fit$se,
                    mrkit_1thread_s = t1[["median"]], mrkit_2threads_s = t2[["median"]],
                    mrkit_core_s = tc[["median"]], mrkit_cpu_s = c1,
                    gsmr2_s = NA_real_, gsmr2_cpu_s = NA_real_, speedup = NA_real_, speedup_cpu = NA_real_,
                    max_rel_diff_b_se = NA_real_,
                    same_snps = NA, stringsAsFactors = FALSE)
  if (have_gsmr2) {
    run_ref <- function() {
      suppressWarnings(suppressMessages(gsmr2::gsmr(d$bzx, d$bzx_se, d$bzx_pval, d$bzy, d$bzy_se, d$bzy_pval, ld,
                                                    d$SNP, 7703, cs$flag, 5e-8, 0.01, 0.01, 10, 0.05, 0.05, cs$beta)))
    }
    ref <- run_ref()
    tr <- bench_time(run_ref(), reps = cs$reps_ref, warmup = 0L)
    dropped <- c(ref$weak_snps, ref$linkage_snps, ref$pleio_snps, ref$na_snps)
    row$gsmr2_s <- tr[["median"]]
    row$speedup <- tr[["median"]] / t1[["median"]]
    row$gsmr2_cpu_s <- cpu_time(run_ref(), reps = cs$reps_ref)
    row$speedup_cpu <- row$gsmr2_cpu_s / c1
    row$max_rel_diff_b_se <- max(abs(c(fit$b / ref$bxy, fit$se / ref$bxy_se) - 1))
    row$same_snps <- identical(sort(d$SNP[fit$snps$status == "used"]), sort(setdiff(d$SNP, dropped)))
  }
  rows[[length(rows) + 1L]] <- row
}
res <- do.call(rbind, rows)
write_bench(res, "gsmr", c(
  "mr_gsmr(b_exp, b_out, se_exp, se_out, ld, n_ref = 7703, pval_exp, heidi, top_snp = \"gsmr2\") against",
  "gsmr2::gsmr(bzx, bzx_se, bzx_pval, bzy, bzy_se, bzy_pval, ldrho, SNP, 7703, flag, 5e-8, 0.01, 0.01, 10, 0.05, 0.05, gsmr2_beta)",
  "(gsmr2 1.1.1, jianyanglab/gsmr2 @ e7953cc, with survey 4.1-1), on gsmr's LDL-c -> CAD example.",
  "`mrkit_core_s`: the C++ core alone (cpp_gsmr); the rest of mr_gsmr()'s time is validation and cli messages.",
  "`*_cpu_s`: median CPU time (user + system) of the R process, less distorted by other jobs than wall time.",
  "Median wall time; gsmr2 without warm-up. `same_snps`: the instruments used are the same set;",
  "`max_rel_diff_b_se`: largest relative difference of the estimate and its SE.",
  paste0("gsmr2 installed in this run: ", have_gsmr2, ". /proc/loadavg before the run: ", load_before, "."),
  "The machine (2 cores) is shared with other jobs; times are indicative."))
