panel <- function(..., seed = 1) simulate_scan_data(..., seed = seed)
two_methods <- c("mr_egger_regression", "mr_ivw")
# The simulated instruments are independent, so most tests run without clumping; the
# not-clumped warning is tested on its own below.
unclumped <- function(expr) {
  withCallingHandlers(expr, mrkit_warning_not_clumped = function(w) invokeRestart("muffleWarning"))
}
mr_scan_nc <- function(...) unclumped(mr_scan(..., clump = FALSE))
mr_bidirectional_nc <- function(...) unclumped(mr_bidirectional(..., clump = FALSE))

# Trait A causes trait B (effect 0.3); B does not cause A. Separate instrument sets.
bidir_data <- function(seed = 1) {
  p <- panel(n_exposures = 2, n_outcomes = 2, nsnp = 30, fstat = 60, n_exposure = 50000,
             n_outcome = 50000, b = matrix(c(0, 0, 0.3, 0), 2), seed = seed)
  # exposure 1 = A, exposure 2 = B; outcome 1 = A, outcome 2 = B.
  list(exp_a = p$exposures[[1]], exp_b = p$exposures[[2]],
       out_a = transform(p$outcomes[[1]], id.outcome = "exp001", outcome = "Exposure 1"),
       out_b = transform(p$outcomes[[2]], id.outcome = "exp002", outcome = "Exposure 2"))
}

test_that("mr_bidirectional equals separate mr() runs in each direction", {
  d <- bidir_data()
  r <- mr_bidirectional_nc(d$exp_a, d$exp_b, d$out_a, d$out_b, method_list = two_methods)
  expect_s3_class(r, "mrkit_results")
  expect_identical(r$direction, rep(c("forward", "reverse"), each = 2))
  ia <- d$exp_a[d$exp_a$pval.exposure < 5e-8, ]
  ib <- d$exp_b[d$exp_b$pval.exposure < 5e-8, ]
  fwd <- mr(harmonise_data(ia, d$out_b), method_list = two_methods)
  rev <- mr(harmonise_data(ib, d$out_a), method_list = two_methods)
  cols <- c("id.exposure", "id.outcome", "method", "nsnp", "b", "se", "pval", "lo_ci", "up_ci")
  expect_equal(r[1:2, cols], as.data.frame(fwd)[cols], ignore_attr = TRUE, tolerance = 1e-14)
  expect_equal(r[3:4, cols], as.data.frame(rev)[cols], ignore_attr = TRUE, tolerance = 1e-14)
  expect_lt(abs(r$b[2] - 0.3), 4 * r$se[2])
  expect_lt(abs(r$b[4]), 4 * r$se[4])
  # Steiger: the instruments explain more of their own trait in both directions.
  expect_true(all(r$correct_causal_direction))
  expect_true(all(r$steiger_pval < 1e-10))
  h <- attr(r, "harmonised")$forward
  expect_identical(sort(h$SNP), sort(ia$SNP))
})

test_that("the Steiger test follows methods.md 6.2", {
  d <- bidir_data()
  h <- harmonise_data(d$exp_a[d$exp_a$pval.exposure < 5e-8, ], d$out_b)
  st <- mrkit:::design_steiger_pairs(h)
  fr <- function(p, n) { f <- qf(p, 1, n - 1, lower.tail = FALSE); sqrt(f / (n - 2 + f)) }
  rx <- sqrt(sum(fr(h$pval.exposure, h$samplesize.exposure)^2))
  ry <- sqrt(sum(fr(h$pval.outcome, h$samplesize.outcome)^2))
  z <- abs(atanh(rx) - atanh(ry)) / sqrt(1 / (50000 - 3) + 1 / (50000 - 3))
  expect_equal(st$snp_r2.exposure, rx^2, tolerance = 1e-12)
  expect_equal(st$snp_r2.outcome, ry^2, tolerance = 1e-12)
  expect_equal(st$steiger_pval, 2 * pnorm(-z), tolerance = 1e-10)
  expect_identical(st$correct_causal_direction, rx > ry)
  # Supplied r columns take precedence; tiny p-values stay finite; p = 0 gives NA.
  h$r.exposure <- 0.05; h$r.outcome <- 0.01
  expect_equal(mrkit:::design_steiger_pairs(h)$snp_r2.exposure, nrow(h) * 0.05^2, tolerance = 1e-12)
  r <- mrkit:::design_r_from_pn(c(1e-300, 1e-320, 0), 1e5)
  expect_true(all(is.finite(r[1:2])) && r[2] > r[1])
  expect_true(is.na(r[3]))
})

test_that("mr_scan rows equal mr() and the sensitivity verbs run pair by pair", {
  p <- panel(n_exposures = 4, n_outcomes = 3, seed = 2)
  s <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods)
  expect_s3_class(s, c("mrkit_scan", "mrkit_results"))
  expect_setequal(unique(s$analysis), c("mr", "heterogeneity", "pleiotropy", "instrument_strength"))
  cols <- c("method", "nsnp", "b", "se", "pval", "lo_ci", "up_ci")
  n_checked <- 0
  for (e in names(p$exposures)) {
    inst <- p$exposures[[e]][p$exposures[[e]]$pval.exposure < 5e-8, ]
    for (o in names(p$outcomes)) {
      h <- harmonise_data(inst, p$outcomes[[o]])
      rows <- s[s$id.exposure == e & s$id.outcome == o, ]
      expect_equal(rows[rows$analysis == "mr", cols], as.data.frame(mr(h, method_list = two_methods))[cols],
                   ignore_attr = TRUE, tolerance = 1e-14)
      het <- mr_heterogeneity(h)
      expect_equal(rows[rows$analysis == "heterogeneity", c("method", "Q", "Q_df", "Q_pval", "I2")],
                   het[c("method", "Q", "Q_df", "Q_pval", "I2")], ignore_attr = TRUE, tolerance = 1e-14)
      pl <- mr_pleiotropy_test(h)
      expect_equal(unlist(rows[rows$analysis == "pleiotropy", c("b", "se", "pval")]),
                   unlist(pl[c("egger_intercept", "se", "pval")]), ignore_attr = TRUE, tolerance = 1e-14)
      fs <- mr_fstat(h)
      expect_equal(rows$mean_F[rows$analysis == "instrument_strength"], fs$mean_F, tolerance = 1e-14)
      n_checked <- n_checked + 1
    }
  }
  expect_identical(n_checked, 12)
  # One stacked data frame gives the same table as lists.
  s2 <- mr_scan_nc(do.call(rbind, p$exposures), do.call(rbind, p$outcomes), method_list = two_methods)
  expect_equal(as.data.frame(s2), as.data.frame(s))
  # Without sensitivity only the mr rows.
  s3 <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods, sensitivity = FALSE)
  expect_equal(as.data.frame(s3), as.data.frame(s[s$analysis == "mr", names(s3)]), ignore_attr = TRUE)
})

test_that("mr_scan reads files and records exposures and pairs without results", {
  p <- panel(n_exposures = 3, n_outcomes = 2, seed = 3)
  # An exposure without genome-wide significant variants.
  p$exposures[[3]]$pval.exposure <- pmax(p$exposures[[3]]$pval.exposure, 1e-3)
  dir <- withr::local_tempdir()
  write_raw <- function(d, type, f) {
    sfx <- paste0(".", type)
    raw <- data.frame(SNP = d$SNP, beta = d[[paste0("beta", sfx)]], se = d[[paste0("se", sfx)]],
                      effect_allele = d[[paste0("effect_allele", sfx)]],
                      other_allele = d[[paste0("other_allele", sfx)]], eaf = d[[paste0("eaf", sfx)]],
                      pval = d[[paste0("pval", sfx)]], samplesize = d[[paste0("samplesize", sfx)]],
                      Phenotype = d[[type]], id = d[[paste0("id", sfx)]])
    utils::write.table(raw, f, row.names = FALSE, quote = FALSE, sep = "\t")
    f
  }
  ef <- vapply(seq_along(p$exposures), function(i) write_raw(p$exposures[[i]], "exposure", file.path(dir, paste0("e", i, ".txt"))), "")
  of <- vapply(seq_along(p$outcomes), function(i) write_raw(p$outcomes[[i]], "outcome", file.path(dir, paste0("o", i, ".txt"))), "")
  sf <- mr_scan_nc(ef, of, method_list = two_methods, sep = "\t")
  sd <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods)
  cols <- c("id.exposure", "id.outcome", "analysis", "method", "nsnp", "b", "se", "pval")
  expect_equal(sf[cols], sd[cols], ignore_attr = TRUE, tolerance = 1e-12)
  audit <- attr(sd, "audit")
  expect_identical(audit$id.exposure, "exp003")
  expect_match(audit$reason, "pval.exposure")
  expect_false("exp003" %in% sd$id.exposure)
  # An outcome that holds none of the instruments.
  o3 <- p$outcomes[[1]]
  o3$SNP <- paste0(o3$SNP, "x"); o3$id.outcome <- "out3"
  s3 <- mr_scan_nc(p$exposures[1:2], c(p$outcomes, list(o3)), method_list = two_methods, sensitivity = FALSE)
  a3 <- attr(s3, "audit")
  expect_identical(a3$id.outcome, c("out3", "out3"))
  expect_false("out3" %in% s3$id.outcome)
})

test_that("mr_scan gives identical results under sequential and multisession plans", {
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  skip_on_cran()
  p <- panel(n_exposures = 6, n_outcomes = 2, seed = 4)
  old <- future::plan(future::sequential)
  on.exit(future::plan(old), add = TRUE)
  set.seed(42)
  seq_res <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods)
  future::plan(future::multisession, workers = 2)
  set.seed(42)
  par_res <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods)
  expect_identical(as.data.frame(par_res), as.data.frame(seq_res))
  # Each exposure runs under its own seed from R's RNG, whatever the plan.
  future::plan(future::sequential)
  seeds <- local({ set.seed(42); floor(runif(6) * 2^31) })
  rng_task <- function(task, ...) { mrkit:::with_task_seed(task$seed); runif(1) }
  expect_identical(vapply(seq_along(seeds), function(i) rng_task(list(seed = seeds[i])), 1),
                   vapply(seeds, function(s) { set.seed(s, kind = "Mersenne-Twister"); runif(1) }, 1))
})

test_that("the scan keeps the caller's RNG kind and reports weak instruments once", {
  p <- panel(n_exposures = 2, n_outcomes = 1, fstat = 6, seed = 5)
  kind <- RNGkind()
  expect_warning(s <- mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods, pval_threshold = 0.05),
                 class = "mrkit_warning_weak_instruments")
  expect_identical(RNGkind(), kind)
})

test_that("designs reject bad input with classed errors", {
  p <- panel(n_exposures = 2, n_outcomes = 1, seed = 6)
  expect_error(mr_scan_nc(p$exposures, p$outcomes, pval_threshold = 0), class = "mrkit_error_parameter")
  expect_error(mr_scan_nc(p$exposures, p$outcomes, method_list = "mr_nope"), class = "mrkit_error_unknown_method")
  expect_error(mr_scan_nc(list(p$exposures[[1]], p$exposures[[1]]), p$outcomes, method_list = two_methods),
               class = "mrkit_error_duplicated_id")
  expect_error(mr_scan_nc(list(p$exposures[[1]][, -2]), p$outcomes, method_list = two_methods),
               class = "mrkit_error_missing_column")
  expect_error(mr_scan_nc(list(), p$outcomes), class = "mrkit_error_input_value")
  expect_snapshot(mr_scan_nc(list(p$exposures[[1]], p$exposures[[1]]), p$outcomes, method_list = two_methods),
                  error = TRUE)
  d <- bidir_data()
  weak_a <- transform(d$exp_a, pval.exposure = 0.5)
  expect_error(mr_bidirectional_nc(weak_a, d$exp_b, d$out_a, d$out_b, method_list = two_methods),
               class = "mrkit_error_no_instruments")
  expect_error(mr_scan_nc(p$exposures, p$outcomes, exposure_names = "one"), class = "mrkit_error_parameter")
  expect_error(mr_scan_nc(p$exposures, p$outcomes, outcome_names = c(nope = "x")), class = "mrkit_error_parameter")
  expect_error(mr_bidirectional_nc(d$exp_a, d$exp_b, d$out_a, d$out_b, name_a = c("a", "b")),
               class = "mrkit_error_parameter")
  expect_error(mr_scan(p$exposures, p$outcomes, clump = NA), class = "mrkit_error_parameter")
})

test_that("mr_scan reports progress through progressr, one step per exposure", {
  skip_if_not_installed("progressr")
  withr::local_options(progressr.enable = TRUE)
  p <- panel(n_exposures = 3, n_outcomes = 1, seed = 7)
  steps <- 0
  withCallingHandlers(
    mr_scan_nc(p$exposures, p$outcomes, method_list = two_methods, sensitivity = FALSE),
    progression = function(c) if (identical(c$type, "update")) steps <<- steps + c$amount
  )
  expect_identical(steps, 3)
})

test_that("clumping is on by default: no panel is an error, clump = FALSE warns once", {
  p <- panel(n_exposures = 3, n_outcomes = 2, seed = 8)
  d <- bidir_data()
  expect_error(mr_scan(p$exposures, p$outcomes, method_list = two_methods), class = "mrkit_error_bfile_missing")
  expect_error(mr_bidirectional(d$exp_a, d$exp_b, d$out_a, d$out_b, method_list = two_methods),
               class = "mrkit_error_bfile_missing")
  expect_snapshot(mr_scan(p$exposures, p$outcomes), error = TRUE)
  n_warn <- 0
  withCallingHandlers(mr_scan(p$exposures, p$outcomes, method_list = two_methods, clump = FALSE),
                      mrkit_warning_not_clumped = function(w) {
                        n_warn <<- n_warn + 1
                        invokeRestart("muffleWarning")
                      })
  expect_identical(n_warn, 1)
  expect_snapshot(invisible(mr_bidirectional(d$exp_a, d$exp_b, d$out_a, d$out_b,
                                             method_list = two_methods, clump = FALSE)))
})

# The shipped example data: instruments that are variants of the shipped panel.
example_files <- function(dir) {
  write_ssf <- function(d, type, f) {
    col <- function(x) d[[paste0(x, ".", type)]]
    raw <- data.frame(chromosome = col("chr"), base_pair_location = col("pos"),
                      effect_allele = col("effect_allele"), other_allele = col("other_allele"),
                      beta = col("beta"), standard_error = col("se"),
                      effect_allele_frequency = col("eaf"), p_value = col("pval"), rsid = d$SNP,
                      n = col("samplesize"))
    raw <- raw[!is.na(raw$effect_allele), ]
    utils::write.table(raw, f, row.names = FALSE, quote = FALSE, sep = "\t")
    f
  }
  list(exposure = write_ssf(example_exposure, "exposure", file.path(dir, "bmi.tsv")),
       outcome = write_ssf(example_outcome, "outcome", file.path(dir, "chd.tsv")))
}

test_that("mr_scan clumps against the panel and reads GWAS-SSF files named after the file", {
  bfile <- example_panel()
  kept <- clump_data(example_exposure, bfile = bfile)
  expect_gt(nrow(kept), 20)
  expect_lt(nrow(kept), nrow(example_exposure))
  s <- mr_scan(example_exposure, example_outcome, method_list = "mr_ivw", bfile = bfile,
               sensitivity = FALSE)
  sig <- example_exposure[example_exposure$pval.exposure < 5e-8, ]
  h <- harmonise_data(clump_data(sig, bfile = bfile), example_outcome)
  expect_identical(s$nsnp, sum(h$mr_keep))
  expect_equal(s$b, mr(h, method_list = "mr_ivw")$b, tolerance = 1e-14)
  # The same data from GWAS-SSF files: trait names and ids are the file names.
  f <- example_files(withr::local_tempdir())
  sf <- mr_scan(f$exposure, f$outcome, method_list = "mr_ivw", bfile = bfile, sensitivity = FALSE)
  expect_identical(c(sf$exposure, sf$outcome, sf$id.exposure), c("bmi", "chd", "bmi"))
  expect_equal(sf$b, s$b, tolerance = 1e-12)
  expect_identical(sf$nsnp, s$nsnp)
  # Trait names given by the caller.
  sn <- mr_scan(f$exposure, f$outcome, method_list = "mr_ivw", bfile = bfile, sensitivity = FALSE,
                exposure_names = "Body mass index", outcome_names = c(chd = "Coronary heart disease"))
  expect_identical(c(sn$exposure, sn$outcome), c("Body mass index", "Coronary heart disease"))
})

test_that("mr_bidirectional takes trait names", {
  d <- bidir_data()
  r <- mr_bidirectional_nc(d$exp_a, d$exp_b, d$out_a, d$out_b, method_list = "mr_ivw",
                           name_a = "Trait A", name_b = "Trait B")
  expect_identical(r$exposure, c("Trait A", "Trait B"))
  expect_identical(r$outcome, c("Trait B", "Trait A"))
})

test_that("designs take OpenGWAS ids (local GWAS-VCF files first) and keep their provenance", {
  skip_if_not_installed("jsonlite")
  dir <- withr::local_tempdir()
  og_local_mock(opengwas_api = og_failing(error = "the server must not be asked"))
  write_gwas_vcf(example_exposure, file.path(dir, "ieu-a-2", "ieu-a-2.vcf.gz"), id = "ieu-a-2")
  write_gwas_vcf(example_outcome, file.path(dir, "ieu-a-7", "ieu-a-7.vcf.gz"), id = "ieu-a-7")
  # the panel comes from options(mrkit.bfile), the files from options(mrkit.gwas_dir)
  withr::local_options(mrkit.gwas_dir = dir, mrkit.bfile = example_panel())
  s <- mr_scan(example_exposure, example_outcome, method_list = "mr_ivw", sensitivity = FALSE)
  si <- mr_scan("ieu-a-2", "ieu-a-7", method_list = "mr_ivw", sensitivity = FALSE)
  expect_identical(c(si$id.exposure, si$id.outcome), c("ieu-a-2", "ieu-a-7"))
  expect_identical(si$nsnp, s$nsnp)
  expect_equal(si$b, s$b, tolerance = 1e-6)
  prov <- attr(si, "provenance")
  expect_identical(prov$role, c("exposure", "outcome"))
  expect_identical(prov$id, c("ieu-a-2", "ieu-a-7"))
  expect_identical(prov$source, rep("GWAS-VCF file", 2))
  # mr_bidirectional: A = ieu-a-2, B = ieu-a-7 (whose few variants need a loose threshold)
  b <- suppressWarnings(mr_bidirectional("ieu-a-2", "ieu-a-7", "ieu-a-2", "ieu-a-7",
                                         method_list = "mr_ivw", pval_threshold = 0.05))
  s05 <- mr_scan(example_exposure, example_outcome, method_list = "mr_ivw", sensitivity = FALSE,
                 pval_threshold = 0.05)
  expect_equal(b$b[b$direction == "forward"], s05$b, tolerance = 1e-6)
  expect_identical(b$id.exposure, c("ieu-a-2", "ieu-a-7"))
  expect_gt(b$nsnp[b$direction == "reverse"], 0)
  hp <- attr(attr(b, "harmonised")$reverse, "provenance")
  expect_identical(paste(hp$role, hp$id), c("exposure ieu-a-7", "outcome ieu-a-2"))
  expect_identical(nrow(attr(b, "provenance")), 4L)
})

test_that("designs take OpenGWAS ids from the server (substituted)", {
  skip_if_not_installed("ieugwasr")
  skip_if_not_installed("jsonlite")
  og_local_mock(opengwas_api = og_server())
  withr::local_envvar(OPENGWAS_JWT = "eyJ.test.token")
  withr::local_options(mrkit.gwas_dir = NULL, mrkit.bfile = NULL)
  s <- suppressWarnings(mr_scan("ieu-a-2", "ieu-a-7", method_list = "mr_ivw", sensitivity = FALSE,
                                clump = FALSE))
  # by hand from the fixtures: all top hits found in the outcome without proxies
  th <- jsonlite::fromJSON(og_fixture("tophits.json"))
  as <- jsonlite::fromJSON(og_fixture("associations.json"))
  as <- as[as$id == "ieu-a-7", ]
  th <- th[th$id == "ieu-a-2" & th$rsid %in% as$rsid, ]
  o <- as[match(th$rsid, as$rsid), ]
  by <- ifelse(o$ea == th$ea, o$beta, -o$beta)
  expect_identical(s$nsnp, nrow(th))
  expect_equal(s$b, sum(th$beta * by / o$se^2) / sum(th$beta^2 / o$se^2), tolerance = 1e-10)
  expect_identical(attr(s, "provenance")$source, rep("OpenGWAS API", 2))
})

test_that("mr_bidirectional reports progress through progressr, one step per direction", {
  skip_if_not_installed("progressr")
  withr::local_options(progressr.enable = TRUE)
  d <- bidir_data()
  steps <- 0
  withCallingHandlers(
    mr_bidirectional_nc(d$exp_a, d$exp_b, d$out_a, d$out_b, method_list = "mr_ivw"),
    progression = function(c) if (identical(c$type, "update")) steps <<- steps + c$amount
  )
  expect_identical(steps, 2)
})
