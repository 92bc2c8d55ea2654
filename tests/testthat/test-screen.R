# mr_screen(): whole screens from GWAS files, resumable, on any future plan.

# Tiny simulated screen, made once for this file: a panel, four exposure files (exp1-exp3
# with instruments, one of them carried by out1 with b = 0.3; weak without any), two
# outcome files (out1 in GWAS-SSF, out2 in FinnGen layout) and a truncated exposure file.
screen_files <- local({
  cache <- NULL
  function() {
    if (!is.null(cache)) return(cache)
    dir <- tempfile("screen-")
    dir.create(dir)
    withr::defer(unlink(dir, recursive = TRUE), envir = testthat::teardown_env())
    panel <- simulate_ld_panel(300, 1200, block_size = 40, prefix = file.path(dir, "panel"), seed = 1)
    sims <- lapply(1:3, function(i) {
      simulate_gwas_files(panel, file.path(dir, sprintf("exp%d.tsv.gz", i)),
                          file.path(dir, sprintf("out%d.tsv.gz", i)), b = c(0.3, 0.2, 0)[i],
                          n_causal = 12, drop_from_outcome = 2, format = c("gwas_ssf", "finngen", "gwas_ssf")[i],
                          seed = 10 + i)
    })
    simulate_gwas_files(panel, file.path(dir, "weak.tsv.gz"), file.path(dir, "weak_out.tsv.gz"),
                        n_causal = 5, fstat = 1, seed = 20)
    b <- readBin(file.path(dir, "exp3.tsv.gz"), "raw", file.size(file.path(dir, "exp3.tsv.gz")))
    writeBin(b[seq_len(length(b) %/% 2)], file.path(dir, "broken.tsv.gz"))
    cache <<- list(dir = dir, panel = panel, sims = sims,
                   exposures = file.path(dir, c("exp1.tsv.gz", "exp2.tsv.gz", "exp3.tsv.gz")),
                   outcomes = data.frame(file = file.path(dir, c("out1.tsv.gz", "out2.tsv.gz")),
                                         id = c("out1", "out2"), format = c("gwas_ssf", "finngen"),
                                         samplesize = c(NA, 1e5)))
    cache
  }
})

two_methods <- c("mr_ivw", "mr_weighted_median")
fast <- function() default_parameters(nboot = 200)

screen_quiet <- function(...) suppressWarnings(mr_screen(...))

screen_essence <- function(x) list(results = x$results, audit = x$audit, pairs = x$pairs,
                                   instruments = x$instruments, base_seed = x$settings$base_seed)

test_that("every pair is estimated, as mr_pipeline() estimates it under the pair's seed", {
  f <- screen_files()
  set.seed(1)
  res <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods,
                      parameters = fast())
  expect_s3_class(res, "mrkit_screen")
  expect_identical(res$pairs$status, rep("estimated", 6))
  expect_identical(nrow(res$audit), 0L)
  mr_rows <- res$results[res$results$analysis == "mr", ]
  expect_setequal(unique(paste(mr_rows$id.exposure, mr_rows$id.outcome)),
                  c(outer(c("exp1", "exp2", "exp3"), c("out1", "out2"), paste)))
  # The known truth: exp1 causes out1 (b = 0.3), exp2 causes out2 (b = 0.2).
  ivw <- mr_rows[mr_rows$method == "Inverse variance weighted", ]
  hit <- ivw[ivw$id.exposure == "exp1" & ivw$id.outcome == "out1", ]
  expect_true(hit$lo_ci < 0.3 && 0.3 < hit$up_ci)
  hit2 <- ivw[ivw$id.exposure == "exp2" & ivw$id.outcome == "out2", ]
  expect_true(hit2$lo_ci < 0.2 && 0.2 < hit2$up_ci)
  # mr_scan_plot() takes the screen itself: one tile per pair, the IVW estimates.
  tiles <- plot_layer(mr_scan_plot(res), "GeomTile")
  expect_equal(sort(tiles$fill), sort(plot_layer(mr_scan_plot(res$results), "GeomTile")$fill))
  expect_identical(nrow(tiles), 6L)
  # The same pair through mr_pipeline(), under the seed the screen recorded for it.
  seed <- res$pairs$pair_seed[res$pairs$id.exposure == "exp2" & res$pairs$id.outcome == "out2"]
  set.seed(seed)
  pipe <- suppressWarnings(mr_pipeline(f$exposures[2], f$outcomes$file[2], bfile = f$panel$bfile,
                                       outcome_format = "finngen", exposure_name = "exp2", outcome_name = "out2",
                                       method_list = two_methods, parameters = fast()))
  scr <- mr_rows[mr_rows$id.exposure == "exp2" & mr_rows$id.outcome == "out2", ]
  expect_identical(scr$nsnp, pipe$results$nsnp)
  expect_equal(scr$b, pipe$results$b, tolerance = 1e-12)
  expect_equal(scr$se, pipe$results$se, tolerance = 1e-12)
  # Sensitivity rows and the multiple-testing columns (BH within outcome and method).
  expect_setequal(unique(res$results$analysis), c("mr", "heterogeneity", "pleiotropy", "instrument_strength"))
  fam <- mr_rows$id.outcome == "out1" & mr_rows$method == "Weighted median"
  expect_equal(mr_rows$pval_bh[fam], stats::p.adjust(mr_rows$pval[fam], "BH"))
  expect_true(all(is.na(res$results$pval_bh[res$results$analysis != "mr"])))
  # Settings record the seeds and nboot.
  expect_equal(res$settings$nboot, 200)
  expect_true(all(res$results$pair_seed %in% res$pairs$pair_seed))
})

test_that("a corrupt file and an exposure without instruments become audit rows", {
  f <- screen_files()
  ex <- c(f$exposures[1], file.path(f$dir, "broken.tsv.gz"), file.path(f$dir, "weak.tsv.gz"))
  set.seed(2)
  res <- screen_quiet(ex, f$outcomes, bfile = f$panel$bfile, method_list = two_methods, parameters = fast(),
                      threads = 1)
  expect_identical(nrow(res$audit), 2L)
  a <- res$audit[order(res$audit$id.exposure), ]
  expect_identical(a$id.exposure, c("broken", "weak"))
  expect_identical(a$file, ex[2:3])
  expect_identical(a$step, c("read", "select instruments"))
  expect_match(a$reason[1], "truncated")
  expect_match(a$reason[2], "no variant with p < 5e-08", fixed = TRUE)
  expect_identical(res$pairs$status, rep(c("estimated", "audit", "audit"), each = 2))
  expect_setequal(unique(res$results$id.exposure), "exp1")
  expect_snapshot(print(res))
})

test_that("the reverse direction looks the outcomes' instruments up in the exposure files", {
  f <- screen_files()
  set.seed(3)
  # exp2 (strong instruments) as the "outcome" file: its instruments go back into exp1 and exp3.
  res <- screen_quiet(f$exposures[c(1, 3)], f$exposures[2], bfile = f$panel$bfile, bidirectional = TRUE,
                      method_list = two_methods, parameters = fast(), sensitivity = FALSE)
  expect_identical(res$pairs$direction, rep(c("forward", "reverse"), each = 2))
  expect_identical(res$pairs$status, rep("estimated", 4))
  rev <- res$results[res$results$direction == "reverse", ]
  expect_setequal(rev$id.exposure, "exp2")
  expect_setequal(rev$id.outcome, c("exp1", "exp3"))
  expect_false(anyNA(rev$b))
  expect_false(any(duplicated(res$pairs$pair_seed)))
  # An outcome file without instruments is the exposure of its reverse pairs in the audit.
  weak <- file.path(f$dir, "weak.tsv.gz")
  res2 <- screen_quiet(f$exposures[1], weak, bfile = f$panel$bfile, bidirectional = TRUE,
                       method_list = two_methods, parameters = fast(), sensitivity = FALSE)
  a <- res2$audit[res2$audit$direction == "reverse", ]
  expect_identical(a$id.exposure, "weak")
  expect_identical(a$id.outcome, NA_character_)
  expect_identical(a$step, "select instruments")
})

test_that("an outcome keeps the instruments and only the LD partners of the missing ones", {
  f <- screen_files()
  panel <- f$panel
  out1 <- suppressWarnings(read_sumstats(f$outcomes$file[1], type = "outcome", verbose = FALSE))
  absent <- setdiff(panel$variants$SNP, out1$SNP)
  expect_gt(length(absent), 0L)
  snps <- c(panel$variants$SNP[c(15, 300, 640, 1000)], absent)
  s <- list(proxies = TRUE, bfile = panel$bfile, proxy_window_kb = 5000, rsq = 0.8, threads = 1L, reader = list(),
            bidirectional = FALSE)
  row <- list(file = f$outcomes$file[1], format = "gwas_ssf", trait = "out1", id = "out1", samplesize = NA)
  got <- screen_outcome(row, snps, s)
  # The truth from the full LD matrix (dosage r, same chromosome; the window spans it).
  v <- panel$variants
  r <- ld_matrix(v$SNP, panel$bfile, with_alleles = FALSE)
  partners <- unlist(lapply(absent, function(t) v$SNP[r[t, ]^2 >= 0.8 & v$SNP != t & v$chr == v$chr[v$SNP == t]]))
  expect_gt(length(partners), 0L)
  expect_setequal(got$rows$SNP, intersect(c(snps, partners), out1$SNP))
  expect_setequal(paste(got$partners$target, got$partners$SNP),
                  unlist(lapply(absent, function(t) {
                    p <- v$SNP[r[t, ]^2 >= 0.8 & v$SNP != t & v$chr == v$chr[v$SNP == t]]
                    if (length(p)) paste(t, p)
                  })))
})

test_that("a checkpointed run resumes to exactly the uninterrupted result, and refuses other settings", {
  f <- screen_files()
  ck <- withr::local_tempdir()
  set.seed(4)
  full <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods, parameters = fast())
  set.seed(99) # the base seed comes from the checkpoint on resume
  first <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods,
                        parameters = fast(), checkpoint = ck)
  # Drop one exposure's result: the rerun recomputes only that one.
  res_files <- list.files(file.path(ck, "results"), full.names = TRUE)
  expect_length(res_files, 3)
  unlink(res_files[2])
  set.seed(4)
  again <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods,
                        parameters = fast(), checkpoint = ck)
  expect_identical(screen_essence(again), screen_essence(first))
  # The first checkpointed run drew its base seed from set.seed(99).
  expect_identical(first$settings$base_seed, local({ set.seed(99); sample.int(.Machine$integer.max, 1L) }))
  expect_false(identical(first$results$seed, full$results$seed))
  expect_error(screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = "mr_ivw",
                            parameters = fast(), checkpoint = ck), class = "mrkit_error_checkpoint")
})

test_that("a run killed mid-way (SIGKILL) resumes to the uninterrupted result", {
  skip_on_cran()
  skip_on_os("windows")
  f <- screen_files()
  ck <- withr::local_tempdir()
  pid_file <- file.path(ck, "pid")
  script <- file.path(ck, "run.R")
  ck_dir <- file.path(ck, "ckpt")
  # The child slows down after each finished task, so the parent can kill it mid-way.
  writeLines(c(
    sprintf("writeLines(as.character(Sys.getpid()), %s)", deparse(pid_file)),
    "library(mrkit)",
    "options(progressr.enable = TRUE)",
    sprintf("f <- readRDS(%s)", deparse(file.path(ck, "f.rds"))),
    "set.seed(5)",
    "withCallingHandlers(",
    sprintf("  suppressWarnings(mr_screen(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = c('mr_ivw', 'mr_weighted_median'), parameters = default_parameters(nboot = 200), checkpoint = %s)),",
            deparse(ck_dir)),
    "  progression = function(c) if (identical(c$type, 'update')) Sys.sleep(0.5))"), script)
  saveRDS(f, file.path(ck, "f.rds"))
  system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", shQuote(script)), wait = FALSE,
          stdout = FALSE, stderr = FALSE, env = paste0("R_LIBS=", paste(.libPaths(), collapse = .Platform$path.sep)))
  n_done <- function() length(list.files(file.path(ck_dir, "results"), pattern = "\\.rds$"))
  t0 <- Sys.time()
  while (n_done() < 1L && Sys.time() - t0 < 60) Sys.sleep(0.05)
  pid <- as.integer(readLines(pid_file))
  tools::pskill(pid, tools::SIGKILL)
  Sys.sleep(0.5)
  expect_identical(n_done(), 1L) # killed with one of three exposures finished
  expect_length(list.files(ck_dir, pattern = "\\.tmp", recursive = TRUE), 0)
  set.seed(5)
  resumed <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods,
                          parameters = fast(), checkpoint = ck_dir)
  set.seed(5)
  full <- screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods,
                       parameters = fast())
  expect_identical(screen_essence(resumed), screen_essence(full))
})

test_that("batchtools-local and localhost-cluster plans give the sequential result bit for bit", {
  skip_on_cran()
  skip_if_not_installed("future")
  skip_if_not_installed("future.apply")
  skip_if_not_installed("future.batchtools")
  f <- screen_files()
  withr::local_dir(withr::local_tempdir()) # batchtools registries go to ./.future
  old <- future::plan(future::sequential)
  withr::defer(future::plan(old)) # first of the deferred: workers stop before their directory goes
  run <- function() {
    set.seed(6)
    screen_quiet(f$exposures, f$outcomes, bfile = f$panel$bfile, method_list = two_methods, parameters = fast(),
                 bidirectional = TRUE, threads = 1)
  }
  seq_res <- run()
  future::plan(future.batchtools::batchtools_local)
  bt_res <- run()
  expect_identical(screen_essence(bt_res), screen_essence(seq_res))
  expect_identical(bt_res$settings$plan, "batchtools_local")
  future::plan(future::cluster, workers = rep("localhost", 2))
  cl_res <- run()
  expect_identical(screen_essence(cl_res), screen_essence(seq_res))
  # Default threads divide the cores among the workers.
  expect_identical(mrkit:::screen_threads(NULL, NULL),
                   max(1L, as.integer(floor(parallelly::availableCores() / 2))))
})

test_that("one progress bar counts the pairs", {
  skip_if_not_installed("progressr")
  withr::local_options(progressr.enable = TRUE)
  f <- screen_files()
  total <- 0
  steps <- NULL
  withCallingHandlers(
    screen_quiet(f$exposures[1:2], f$outcomes, bfile = f$panel$bfile, method_list = "mr_ivw"),
    progression = function(c) {
      if (identical(c$type, "initiate")) steps <<- c$steps
      if (identical(c$type, "update")) total <<- total + c$amount
    })
  expect_equal(steps, 4)
  expect_identical(total, 4)
})

test_that("inputs: globs, tables of files, classed errors", {
  f <- screen_files()
  set.seed(7)
  a <- screen_quiet(file.path(f$dir, "exp[12].tsv.gz"), f$outcomes[1, ], bfile = f$panel$bfile,
                    method_list = "mr_ivw", sensitivity = FALSE)
  tab <- data.frame(file = f$exposures[1:2], id = c("A", "B"), trait = c("Trait A", "Trait B"))
  set.seed(7)
  b <- screen_quiet(tab, f$outcomes[1, ], bfile = f$panel$bfile, method_list = "mr_ivw", sensitivity = FALSE)
  expect_identical(a$pairs$id.exposure, c("exp1", "exp2"))
  expect_identical(b$results$exposure, c("Trait A", "Trait B"))
  expect_equal(b$results$b, a$results$b)
  expect_error(mr_screen(f$exposures, f$outcomes), class = "mrkit_error_bfile_missing")
  expect_error(mr_screen(file.path(f$dir, "nope*.gz"), f$outcomes, bfile = f$panel$bfile),
               class = "mrkit_error_file_not_found")
  expect_error(mr_screen(c(f$exposures[1], f$exposures[1]), f$outcomes, bfile = f$panel$bfile),
               class = "mrkit_error_duplicated_id")
  expect_error(mr_screen(f$exposures, f$outcomes, bfile = f$panel$bfile, nope = 1), class = "mrkit_error_parameter")
  expect_error(mr_screen(f$exposures, f$outcomes, bfile = f$panel$bfile, bidirectional = NA),
               class = "mrkit_error_parameter")
  expect_snapshot(mr_screen(data.frame(file = f$exposures[1], format = "nope"), f$outcomes, bfile = f$panel$bfile),
                  error = TRUE, transform = function(x) gsub(f$dir, "<dir>", x, fixed = TRUE))
})
