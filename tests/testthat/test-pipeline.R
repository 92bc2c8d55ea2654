# mr_pipeline(): GWAS files + reference panel -> MR results, on files written by the
# simulator (known causal effect).

pipeline_setup <- function(env = parent.frame(), n_ind = 600, ...) {
  dir <- withr::local_tempdir(.local_envir = env)
  panel <- simulate_ld_panel(n_ind, 2400, block_size = 40, prefix = file.path(dir, "panel"), seed = 21)
  sim <- simulate_gwas_files(panel, file.path(dir, "exposure.tsv.gz"), file.path(dir, "outcome.tsv.gz"), ...)
  list(panel = panel, sim = sim, dir = dir)
}

test_that("the pipeline recovers the causal effect, uses proxies, and accounts for every step", {
  s <- pipeline_setup(b = 0.4, n_causal = 20, fstat = 150, drop_from_outcome = 3, seed = 22)
  withr::local_seed(1)
  # clump_r2 = 0.01: with 600 people, chance r^2 between independent blocks is about 1/600.
  res <- suppressWarnings(mr_pipeline(s$sim$exposure_file, s$sim$outcome_file, bfile = s$panel$bfile,
                                      clump_r2 = 0.01, exposure_name = "X", outcome_name = "Y"))
  expect_s3_class(res, "mrkit_pipeline")
  st <- res$steps
  expect_equal(st$step, c("select instruments", "clump", "outcome look-up", "harmonise", "mr"))
  expect_equal(st$n_in[1], 2400)
  expect_equal(st$n_in[-1], st$n_out[-nrow(st)])
  expect_true(all(st$n_out <= st$n_in))
  expect_gte(st$n_out[2], 15)
  # Dropped lead variants that were index SNPs came back through LD proxies.
  pr <- attr(res$outcome, "proxy_report")
  expect_gt(sum(pr$found == "proxy"), 0)
  expect_true(all(pr$proxy_snp[pr$found == "proxy"] %in% utils::read.delim(s$sim$outcome_file)$variant_id))
  ivw <- res$results[res$results$method == "Inverse variance weighted", ]
  expect_lt(abs(ivw$b - 0.4), 4 * ivw$se)
  expect_equal(ivw$exposure, "X")
  expect_true(res$directionality$correct_causal_direction)
  # Every variant lost is listed once with its step and a reason.
  lost <- res$audit
  expect_equal(nrow(lost[lost$step == "clump", ]), st$n_in[2] - st$n_out[2])
  expect_true(all(grepl("clumped by rs", lost$reason[lost$step == "clump"])))
  expect_false(anyNA(lost$reason))
  expect_snapshot(print(res$steps))
})

test_that("without proxies the missing instruments are audited; tables work as inputs", {
  s <- pipeline_setup(b = 0.2, n_causal = 12, fstat = 150, drop_from_outcome = 12, seed = 23)
  withr::local_seed(2)
  res <- suppressWarnings(mr_pipeline(s$sim$exposure_file, s$sim$outcome_file, bfile = s$panel$bfile,
                                      clump_r2 = 0.01, proxies = FALSE))
  miss <- res$audit[res$audit$step == "outcome look-up", ]
  expect_gt(nrow(miss), 0)
  expect_true(all(miss$SNP %in% s$sim$truth$dropped))
  expect_true(all(miss$reason == "proxies not requested"))
  # The same analysis from tables read beforehand.
  e <- read_sumstats(s$sim$exposure_file, verbose = FALSE, phenotype = "X", id = "X")
  o <- read_sumstats(s$sim$outcome_file, type = "outcome", verbose = FALSE, phenotype = "Y", id = "Y")
  withr::local_seed(2)
  res2 <- suppressWarnings(mr_pipeline(e, o, bfile = s$panel$bfile, clump_r2 = 0.01, proxies = FALSE))
  expect_equal(res2$results$b, res$results$b)
  expect_equal(res2$steps$n_out[-1], res$steps$n_out[-1])
})

test_that("pipeline errors are classed", {
  s <- pipeline_setup(n_ind = 200, b = 0.2, n_causal = 5, seed = 24)
  expect_snapshot(error = TRUE, mr_pipeline(s$sim$exposure_file, s$sim$outcome_file))
  expect_error(mr_pipeline(s$sim$exposure_file, s$sim$outcome_file, bfile = s$panel$bfile,
                           pval_threshold = 1e-300), class = "mrkit_error_no_instruments")
  expect_error(mr_pipeline(42, s$sim$outcome_file, bfile = s$panel$bfile), class = "mrkit_error_input_type")
})

test_that("pairs are named by the file stem without its extensions", {
  expect_identical(pipeline_stem(c("d/exposure.tsv", "exposure.tsv.gz", "bmi.vcf.gz", "bmi.v2.txt.bgz", "x.csv")),
                   c("exposure", "exposure", "bmi", "bmi.v2", "x"))
  s <- pipeline_setup(b = 0.3, n_causal = 10, fstat = 150, seed = 25)
  withr::local_seed(3)
  res <- suppressWarnings(mr_pipeline(s$sim$exposure_file, s$sim$outcome_file, bfile = s$panel$bfile,
                                      clump_r2 = 0.01, method_list = "mr_ivw"))
  expect_identical(c(res$results$exposure, res$results$outcome), c("exposure", "outcome"))
  expect_identical(res$provenance$role, c("exposure", "outcome"))
  expect_identical(res$provenance$source, c("file", "file"))
  expect_identical(res$provenance$location, normalizePath(c(s$sim$exposure_file, s$sim$outcome_file)))
})

test_that("OpenGWAS ids resolve to local GWAS-VCF files; the panel comes from an option", {
  dir <- withr::local_tempdir()
  st <- og_simulated_study(dir, b = 0.3)
  og_local_mock(opengwas_api = og_failing(error = "the server must not be asked"))
  withr::local_options(mrkit.gwas_dir = st$gwas_dir, mrkit.bfile = st$panel$bfile)
  withr::local_seed(4)
  by_id <- suppressWarnings(mr_pipeline("ieu-a-2", "ieu-a-7", clump_r2 = 0.01))
  withr::local_seed(4)
  by_file <- suppressWarnings(mr_pipeline(st$sim$exposure_file, st$sim$outcome_file, clump_r2 = 0.01))
  expect_identical(by_id$harmonised$SNP, by_file$harmonised$SNP)
  expect_gt(sum(by_id$harmonised$proxy.outcome %in% TRUE), 0)
  fixed <- c("Inverse variance weighted", "MR Egger")
  expect_equal(by_id$results$b[by_id$results$method %in% fixed],
               by_file$results$b[by_file$results$method %in% fixed], tolerance = 1e-6)
  expect_identical(c(by_id$results$exposure[1], by_id$results$outcome[1]), c("ieu-a-2", "ieu-a-7"))
  prov <- by_id$provenance
  expect_identical(prov$role, c("exposure", "outcome"))
  expect_identical(prov$id, c("ieu-a-2", "ieu-a-7"))
  expect_identical(prov$source, rep("GWAS-VCF file", 2))
  expect_identical(attr(by_id$harmonised, "provenance"), prov)
  expect_identical(by_id$steps$step[1], "select instruments")
})

test_that("mr_pipeline reports progress through progressr, one step per stage", {
  skip_if_not_installed("progressr")
  withr::local_options(progressr.enable = TRUE)
  s <- pipeline_setup(b = 0.3, n_causal = 10, fstat = 150, seed = 26)
  steps <- 0
  msgs <- character()
  withr::local_seed(5)
  withCallingHandlers(
    suppressWarnings(mr_pipeline(s$sim$exposure_file, s$sim$outcome_file, bfile = s$panel$bfile,
                                 clump_r2 = 0.01, method_list = "mr_ivw")),
    progression = function(c) if (identical(c$type, "update")) {
      steps <<- steps + c$amount
      msgs <<- c(msgs, c$message)
    }
  )
  expect_identical(steps, 5)
  expect_identical(msgs, c("instruments selected", "instruments clumped", "outcome looked up", "harmonised", "estimated"))
})
