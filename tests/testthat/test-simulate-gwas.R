# simulate_gwas_files(): GWAS files on a simulated LD panel with a known causal effect.

gwas_setup <- function(env = parent.frame(), ...) {
  dir <- withr::local_tempdir(.local_envir = env)
  panel <- simulate_ld_panel(300, 800, block_size = 40, prefix = file.path(dir, "panel"), seed = 3)
  sim <- simulate_gwas_files(panel, file.path(dir, "exp.tsv.gz"), file.path(dir, "out.tsv"), ...)
  list(panel = panel, sim = sim)
}

test_that("files carry every panel variant, the truth, and the known causal ratio", {
  s <- gwas_setup(b = 0.5, n_causal = 10, fstat = 400, drop_from_outcome = 2, seed = 4)
  e <- utils::read.delim(s$sim$exposure_file)
  o <- utils::read.delim(s$sim$outcome_file)
  expect_named(e, c("chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
                    "standard_error", "effect_allele_frequency", "p_value", "variant_id", "n"))
  expect_equal(nrow(e), 800)
  expect_equal(nrow(o), 798)
  tr <- s$sim$truth
  expect_length(tr$leads, 10)
  expect_true(all(tr$dropped %in% tr$leads))
  expect_false(any(tr$dropped %in% o$variant_id))
  # Align both files to the exposure's effect allele and regress on the strong variants:
  # the outcome effects are b times the exposure effects.
  m <- merge(e, o, by = "variant_id")
  flip <- m$effect_allele.x != m$effect_allele.y
  by <- ifelse(flip, -m$beta.y, m$beta.y)
  strong <- abs(m$beta.x / m$standard_error.x) > 10
  expect_gt(sum(strong), 10)
  fit <- stats::lm(by[strong] ~ 0 + m$beta.x[strong], weights = 1 / m$standard_error.y[strong]^2)
  expect_equal(unname(stats::coef(fit)), 0.5, tolerance = 0.05)
  # Lead variants reach about sqrt(fstat) in |z|.
  lead_z <- abs(e$beta / e$standard_error)[match(tr$leads, e$variant_id)]
  expect_gt(stats::median(lead_z), 15)
})

test_that("the TwoSampleMR layout is written, the seed reproduces, bad panels are rejected", {
  a <- gwas_setup(format = "twosamplemr", seed = 9)
  b <- gwas_setup(format = "twosamplemr", seed = 9)
  ea <- utils::read.delim(a$sim$exposure_file)
  expect_named(ea, c("SNP", "chr", "pos", "effect_allele", "other_allele", "eaf", "beta", "se",
                     "pval", "samplesize"))
  expect_identical(ea, utils::read.delim(b$sim$exposure_file))
  expect_error(simulate_gwas_files(list(bfile = "x"), tempfile(), tempfile()), class = "mrkit_error_input_type")
  expect_error(simulate_gwas_files(a$panel, tempfile(), tempfile(), n_causal = 1000),
               class = "mrkit_error_parameter")
})

test_that("the FinnGen layout carries the same simulated GWAS, read back by the finngen preset", {
  a <- gwas_setup(format = "finngen", seed = 9)
  b <- gwas_setup(format = "twosamplemr", seed = 9)
  fa <- utils::read.delim(a$sim$outcome_file, check.names = FALSE)
  expect_named(fa, c("#chrom", "pos", "ref", "alt", "rsids", "nearest_genes", "pval", "mlogp", "beta",
                     "sebeta", "af_alt"))
  tb <- utils::read.delim(b$sim$outcome_file)
  expect_identical(fa$rsids, tb$SNP)
  expect_identical(fa$alt, tb$effect_allele)
  expect_identical(fa$ref, tb$other_allele)
  expect_equal(fa$beta, tb$beta, tolerance = 1e-12)
  expect_equal(fa$sebeta, tb$se, tolerance = 1e-12)
  x <- read_sumstats(a$sim$outcome_file, type = "outcome", verbose = FALSE)
  expect_identical(attr(x, "read_report")$format, "finngen")
  expect_equal(nrow(x), 800)
})

test_that("clumped IVW on the files recovers b over seeded replicates (known truth)", {
  # With LD-faithful files (marginal effects through the panel's LD, correlated sampling
  # errors) clumping keeps the lead or a near-copy of it with the same causal ratio, and
  # IVW is unbiased up to the regression dilution of weak instruments, b / F towards zero
  # (plus a winner's curse of selecting in the exposure sample, under 1% at F = 150;
  # bench/results/sim-gwas-fidelity.md). 1,000 people in the panel: with fewer, chance
  # LD between blocks above clump_r2 prunes the weaker blocks' instruments.
  dir <- withr::local_tempdir()
  panel <- simulate_ld_panel(1000, 1200, block_size = 30, prefix = file.path(dir, "panel"), seed = 1)
  est <- t(vapply(1:25, function(s) {
    simulate_gwas_files(panel, file.path(dir, "e.tsv"), file.path(dir, "o.tsv"), b = 0.3,
                        n_causal = 20, fstat = 150, n_exposure = 5e4, n_outcome = 5e4, seed = s)
    r <- suppressWarnings(suppressMessages(mr_pipeline(file.path(dir, "e.tsv"), file.path(dir, "o.tsv"),
                                                       bfile = panel$bfile, clump_r2 = 0.01,
                                                       method_list = "mr_ivw")))$results
    c(r$b, r$se)
  }, numeric(2)))
  mc_se <- stats::sd(est[, 1]) / sqrt(nrow(est))
  expect_lt(abs(mean(est[, 1]) - 0.3 * (1 - 1 / 150)), 2 * mc_se)
  expect_gte(mean(abs(est[, 1] - 0.3) <= 1.96 * est[, 2]), 0.88)
})
