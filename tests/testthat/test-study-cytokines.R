# The study-shaped simulation of the vignette "Study: circulating cytokines and
# polymyositis" (inst/scripts/study-cytokines-polymyositis.R, the code the vignette shows)
# recovers its known effects: the calibrated pairs are the four published results, whose
# estimates are the simulation's true effects; the truth must lie inside the 95% interval
# of the random-effects IVW estimate, computed from the files as the vignette does.

test_that("the calibrated cytokine-polymyositis simulation recovers the published effects", {
  skip_on_cran()
  script <- system.file("scripts", "study-cytokines-polymyositis.R", package = "mrkit")
  skip_if(!nzchar(script), "the study script is not installed")
  withr::local_preserve_seed()
  withr::local_options(mrkit.threads = 1)
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
