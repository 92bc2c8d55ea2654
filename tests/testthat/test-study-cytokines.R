# The study-shaped simulation of the article "Study: circulating cytokines and
# polymyositis" (inst/scripts/study-cytokines-polymyositis.R, the code the article shows)
# recovers its known effects: the calibrated pairs are the four published results, whose
# estimates are the simulation's true effects; the truth must lie inside the 95% interval
# of the random-effects IVW estimate, computed from the files as the article does.

# The study script, for a test that runs it: skips on CRAN and when it is not installed;
# keeps the caller's seed and runs single-threaded.
local_study_script <- function(env = parent.frame()) {
  skip_on_cran()
  script <- system.file("scripts", "study-cytokines-polymyositis.R", package = "mrkit")
  skip_if(!nzchar(script), "the study script is not installed")
  withr::local_preserve_seed(.local_envir = env)
  withr::local_options(mrkit.threads = 1, .local_envir = env)
  script
}

test_that("the calibrated cytokine-polymyositis simulation recovers the published effects", {
  script <- local_study_script()
  dir <- withr::local_tempdir()
  sim <- new.env()
  sim$dir <- dir
  sys.source(script, envir = sim)
  panel <- sim$panel$bfile
  cyto <- sim$cyto
  quiet <- function(x) suppressWarnings(suppressMessages(x))

  # Forward: G-CSF on polymyositis
  gcsf <- quiet(read_sumstats(cyto$file[cyto$short_name == "gcsf"], format = "gwas_ssf",
                              pval_threshold = 5e-6, phenotype = "gcsf", id = "gcsf"))
  gcsf <- quiet(clump_data(gcsf, bfile = panel))
  pm_out <- quiet(read_sumstats(sim$pm_file, format = "finngen", type = "outcome",
                                phenotype = "polymyositis", id = "polymyositis"))
  out <- quiet(extract_outcome_data(gcsf$SNP, pm_out, bfile = panel))
  fwd <- quiet(mr(quiet(harmonise_data(gcsf, out)), method_list = "mr_ivw"))

  # Reverse: polymyositis on IL-13, IL-7 and IL-1RA
  pm <- quiet(read_sumstats(sim$pm_file, format = "finngen", pval_threshold = 5e-6,
                            phenotype = "polymyositis", id = "polymyositis"))
  pm <- quiet(clump_data(pm, bfile = panel))
  k <- match(c("il13", "il7", "il1ra"), cyto$short_name)
  outs <- lapply(k, function(i) {
    quiet(read_sumstats(cyto$file[i], format = "gwas_ssf", type = "outcome",
                        phenotype = cyto$short_name[i], id = cyto$short_name[i]))
  })
  out_rev <- quiet(extract_outcome_data(pm$SNP, outs, bfile = panel))
  rev <- quiet(mr(quiet(harmonise_data(pm, out_rev)), method_list = "mr_ivw"))

  res <- rbind(as.data.frame(fwd), as.data.frame(rev))
  truth <- sim$truth
  m <- match(paste(truth$exposure, truth$outcome), paste(res$id.exposure, res$id.outcome))
  expect_false(anyNA(m))
  # the true effects are the published ones
  expect_equal(truth$b, log(c(0.31, 1.03, 1.03, 0.97)))
  expect_true(all(res$lo_ci[m] <= truth$b & truth$b <= res$up_ci[m]))
  # calibration: standard errors near those implied by the published intervals
  se_pub <- (log(sim$pub$ci_upper) - log(sim$pub$ci_lower)) / (2 * qnorm(0.975))
  expect_true(all(res$se[m] / se_pub > 0.67 & res$se[m] / se_pub < 1.5))
  # every G-CSF instrument is found in the FinnGen file (directly or by proxy)
  expect_identical(sort(unique(out$SNP)), sort(gcsf$SNP))
})

# The cis-MR and colocalisation section of the same article: an IL-18 region simulated
# around the real SCALLOP-INF lead pQTL (chunks cis-region and cis-effects of the script).
# Known truth: IL-18 -> polymyositis log(2) per SD through a shared causal variant in one
# scenario, no effect and a distinct polymyositis variant in the other.
test_that("the IL-18 cis-MR region recovers its true effect and colocalisation", {
  script <- local_study_script()
  sim <- new.env()
  sim$dir <- withr::local_tempdir()
  sim$scallop <- utils::read.csv(system.file("extdata", "scallop_inf1.csv", package = "mrkit"))
  sim$pm <- data.frame(ncase = 119, ncontrol = 213145)
  src <- readLines(script)
  eval(parse(text = src[grep("^## ---- cis-region ----", src):length(src)]), envir = sim)
  quiet <- function(x) suppressWarnings(suppressMessages(x))

  # the real lead sits at its GRCh37 position with its published effect allele
  expect_identical(sim$rv$SNP[sim$lead_k], "rs5744249")
  expect_equal(sim$rv$pos[sim$lead_k], 112025306)
  expect_equal(unname(sim$gamma[sim$lead_k]), 0.204)

  inst <- quiet(cis_instruments(sim$il18_gwas, chr = "11", start = 112013974, end = 112034840,
                                build = "GRCh37", flank_kb = 150, pval_threshold = 5e-8,
                                clump_r2 = 0.3, bfile = sim$region$bfile))
  ld <- attr(inst, "ld")
  expect_gte(nrow(inst), 3)
  expect_true(max(abs(ld[upper.tri(ld)])^2) <= 0.3)
  dat <- quiet(harmonise_data(inst, sim$pm_shared))
  res <- quiet(mr(dat, ld = ld, method_list = "mr_ivw"))
  expect_identical(res$method, "Inverse variance weighted (correlated)")
  expect_true(res$lo_ci <= log(2) && log(2) <= res$up_ci)

  skip_if_not_installed("coloc")
  shared <- quiet(mr_coloc(sim$il18_gwas, sim$pm_shared))
  distinct <- quiet(mr_coloc(sim$il18_gwas, sim$pm_distinct))
  expect_gt(shared$PP.H4, 0.8)
  expect_identical(shared$top_snp, "rs5744249")
  expect_gt(distinct$PP.H3, 0.8)
})
