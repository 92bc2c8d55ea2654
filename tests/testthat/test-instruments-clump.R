# plink 1.9 --clump results recorded on the 1000 Genomes EUR slice (shared/reference/ld_eur_chr1).
clump_input <- function(set) {
  if (set == "bmi") {
    d <- ld_ref("bmi_variants.csv")
  } else {
    d <- ld_ref("synthetic_pvalues.csv")
  }
  data.frame(SNP = d$SNP, pval.exposure = d$P, id.exposure = set, stringsAsFactors = FALSE)
}

test_that("index SNPs, their order, TOTAL and SP2 equal plink 1.9 --clump in all six runs", {
  skip_if_no_shared()
  summ <- ld_ref("clump_summary.csv")
  expect_equal(nrow(summ), 6L)
  for (k in seq_len(nrow(summ))) {
    dat <- clump_input(summ$pvalue_set[k])
    kept <- clump_data(dat, clump_kb = summ$clump_kb[k], clump_r2 = summ$clump_r2[k],
                       bfile = eur_prefix())
    rep <- attr(kept, "clump_report")
    plink <- ld_ref(summ$file[k])
    # Index SNPs in plink's output order (ascending p, ties by input order).
    idx <- rep[rep$status == "index", ]
    idx <- idx[order(idx$pval, seq_len(nrow(idx))), ]
    expect_identical(idx$SNP, plink$SNP, info = summ$file[k])
    expect_identical(idx$SNP, strsplit(summ$index_snps[k], ";")[[1]])
    expect_setequal(kept$SNP, plink$SNP)
    # TOTAL: variants absorbed per index; SP2: absorbed with p < p2 (= 1).
    total <- vapply(plink$SNP, function(s) sum(rep$index_snp %in% s), numeric(1))
    expect_equal(unname(total), plink$TOTAL, info = summ$file[k])
    sp2 <- lapply(plink$SNP, function(s) sort(rep$SNP[rep$index_snp %in% s & rep$pval < 1]))
    want <- lapply(plink$SP2_snps, function(x) {
      if (is.na(x) || x == "") character() else sort(strsplit(x, ";")[[1]])
    })
    expect_identical(sp2, want, info = summ$file[k])
    expect_equal(sum(rep$status == "clumped"), summ$n_absorbed[k])
  }
})

test_that("the p = 1 variant is absorbed and the tie goes to the earlier variant (plink quirks)", {
  skip_if_no_shared()
  dat <- clump_input("bmi")
  rep <- attr(clump_data(dat, bfile = eur_prefix()), "clump_report")
  expect_equal(rep$status[rep$SNP == "rs3766193"], "clumped")
  expect_equal(rep$index_snp[rep$SNP == "rs3766193"], "rs9442371")
  expect_equal(rep$status[rep$SNP %in% c("rs9442371", "rs9442372")], c("index", "clumped"))
  # Absorbed pairs really have r^2 >= clump_r2 and the reported r^2 is the haplotype r^2.
  cl <- rep[rep$status == "clumped", ][1:5, ]
  r2 <- vapply(seq_len(nrow(cl)), function(i) ld_r2_haplotype(c(cl$SNP[i], cl$index_snp[i]), eur_prefix())[1, 2], 1)
  expect_equal(cl$r2, r2, tolerance = 1e-12)
  expect_match(cl$reason[1], "^clumped by rs[0-9]+ \\(r2 = ")
})

test_that("many exposures in one call equal separate calls; threads do not matter", {
  skip_if_no_shared()
  a <- clump_input("bmi"); b <- clump_input("synthetic")
  both <- rbind(a, b)
  one <- clump_data(both, clump_kb = 250, clump_r2 = 0.1, bfile = eur_prefix())
  sa <- clump_data(a, clump_kb = 250, clump_r2 = 0.1, bfile = eur_prefix())
  sb <- clump_data(b, clump_kb = 250, clump_r2 = 0.1, bfile = eur_prefix())
  expect_equal(nrow(one), nrow(sa) + nrow(sb))
  expect_setequal(one$SNP[one$id.exposure == "bmi"], sa$SNP)
  expect_setequal(one$SNP[one$id.exposure == "synthetic"], sb$SNP)
  two <- clump_data(both, clump_kb = 250, clump_r2 = 0.1, bfile = eur_prefix(), threads = 2)
  expect_identical(attr(two, "clump_report"), attr(one, "clump_report"))
  # One exposure on one chromosome: the threads share each window.
  sb2 <- clump_data(b, clump_kb = 250, clump_r2 = 0.1, bfile = eur_prefix(), threads = 2)
  expect_identical(attr(sb2, "clump_report"), attr(sb, "clump_report"))
})

test_that("every input row gets a reason", {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)
  dat <- data.frame(SNP = c(bim$V2[1:6], "rs_absent"), pval.exposure = c(1e-10, 1e-3, NA, 0.5, 0.6, 0.7, 1e-12),
                    id.exposure = "x", stringsAsFactors = FALSE)
  expect_warning(kept <- clump_data(dat, clump_r2 = 0.5, clump_kb = 10, clump_p1 = 0.01, bfile = bfile),
                 class = "mrkit_warning_clump_absent")
  rep <- attr(kept, "clump_report")
  expect_equal(rep$status[7], "absent")
  expect_equal(rep$reason[7], "absent from the LD reference panel")
  expect_equal(rep$status[3], "missing_p")
  expect_equal(rep$status[1], "index")
  expect_equal(rep$reason[1], "index SNP")
  expect_true(all(rep$status[2:6][-2] %in% c("clumped", "above_p1", "index")))
  expect_true(all(rep$pval[rep$status == "index"] <= 0.01))
  expect_equal(kept$SNP, rep$SNP[rep$status == "index"])
  # A variant with p > p1 that nothing absorbs is reported as such.
  far <- data.frame(SNP = bim$V2[c(1, 1000)], pval.exposure = c(1e-9, 0.5), id.exposure = "y")
  rep2 <- attr(clump_data(far, clump_p1 = 1e-5, clump_kb = 10, bfile = bfile), "clump_report")
  expect_equal(rep2$status, c("index", "above_p1"))
  expect_equal(rep2$reason[2], "p above clump_p1")
})

test_that("TwoSampleMR conventions: single-variant exposures, p-value columns, defaults", {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)
  one <- data.frame(SNP = "rs_absent", pval.exposure = 0.3, id.exposure = "solo")
  res <- clump_data(one, bfile = bfile)
  expect_equal(nrow(res), 1L)
  expect_equal(attr(res, "clump_report")$status, "single")
  expect_identical(names(formals(clump_data))[1:8],
                   c("dat", "clump_kb", "clump_r2", "clump_p1", "clump_p2", "pop", "bfile", "plink_bin"))
  expect_equal(formals(clump_data)$clump_kb, 10000)
  expect_equal(formals(clump_data)$clump_r2, 0.001)
  # pval.outcome is used when pval.exposure is absent; neither -> all 0.99.
  d <- data.frame(SNP = bim$V2[1:3], pval.outcome = c(0.5, 1e-8, 0.2), id.exposure = "z")
  r <- attr(clump_data(d, bfile = bfile), "clump_report")
  expect_equal(r$SNP[r$status == "index"], bim$V2[2])
  d$pval.outcome <- NULL
  r <- attr(clump_data(d, bfile = bfile), "clump_report")
  expect_equal(r$pval, rep(0.99, 3))
  expect_equal(r$SNP[r$status == "index"], bim$V2[1])
})

test_that("bad input gives classed errors", {
  d <- data.frame(SNP = "rs1", pval.exposure = 0.1)
  # without a panel and without ieugwasr (else the OpenGWAS service clumps; test-opengwas.R)
  withr::local_options(mrkit.bfile = NULL)
  og_local_mock(has_package = function(pkg) FALSE)
  expect_error(clump_data(d), class = "mrkit_error_bfile_missing")
  expect_snapshot(clump_data(d), error = TRUE)
  expect_error(clump_data(d, bfile = tempfile()), class = "mrkit_error_panel_file")
  expect_error(clump_data(d, clump_r2 = 2, bfile = example_panel()), class = "mrkit_error_parameter")
  expect_error(clump_data(data.frame(x = 1), bfile = example_panel()), class = "mrkit_error_missing_column")
  expect_error(clump_data(data.frame(SNP = "a", pval.exposure = "x"), bfile = example_panel()),
               class = "mrkit_error_input_type")
})

test_that("index variants, clumps and r^2 equal plink 1.9 on a panel with missing genotypes", {
  # Recorded by fixtures/clump-plink/record-fixtures.R (plink 1.9, --clump-verbose, p2 = 1).
  fx <- test_path("fixtures", "clump-plink")
  dir <- withr::local_tempdir()
  prefix <- file.path(dir, "panel")
  sim <- simulate_ld_panel(200, 800, block_size = 40, n_chr = 2, decay = 0.08, missing_rate = 0.05,
                           prefix = prefix, seed = 11, threads = 1)
  expect_identical(unname(tools::md5sum(paste0(prefix, ".bed"))), readLines(file.path(fx, "panel.md5")))
  expect_gt(mean(is.na(read_bed_dosages_r(prefix))), 0.04)
  input <- utils::read.table(file.path(fx, "input.txt"), header = TRUE, stringsAsFactors = FALSE)
  dat <- data.frame(SNP = input$SNP, pval.exposure = input$P, id.exposure = "x", stringsAsFactors = FALSE)
  configs <- utils::read.csv(file.path(fx, "configs.csv"), stringsAsFactors = FALSE)
  plink <- utils::read.csv(file.path(fx, "plink-clumps.csv"), stringsAsFactors = FALSE)
  for (k in seq_len(nrow(configs))) {
    want <- plink[plink$config == configs$config[k], ]
    for (th in c(1L, 2L)) {
      kept <- clump_data(dat, clump_kb = configs$kb[k], clump_r2 = configs$r2[k], clump_p1 = configs$p1[k],
                         bfile = prefix, threads = th)
      rep <- attr(kept, "clump_report")
      expect_setequal(kept$SNP, want$SNP[is.na(want$rsq)])
      cl <- rep[rep$status == "clumped", ]
      m <- want[!is.na(want$rsq), ]
      expect_setequal(cl$SNP, m$SNP)
      m <- m[match(cl$SNP, m$SNP), ]
      expect_identical(cl$index_snp, m$index_snp, info = configs$config[k])
      # plink prints r^2 to 3 significant digits
      expect_equal(signif(cl$r2, 3), m$rsq, tolerance = 1e-9, info = configs$config[k])
      expect_true(all(rep$status %in% c("index", "clumped", "above_p1")))
    }
  }
})

test_that("a damaged panel is a panel_format error; IDs are looked up in the panel as match() does", {
  dir <- withr::local_tempdir()
  prefix <- copy_example_panel(dir)
  bim <- utils::read.table(paste0(prefix, ".bim"), stringsAsFactors = FALSE)
  dat <- data.frame(SNP = c(bim$V2[c(1, 2, 1)], NA, "absent"), pval.exposure = c(1e-9, 1e-3, 1e-5, 1e-4, 1e-2),
                    id.exposure = "x", stringsAsFactors = FALSE)
  rep <- attr(suppressWarnings(clump_data(dat, clump_r2 = 0.5, clump_kb = 10, bfile = prefix)), "clump_report")
  # A repeated input SNP is its own row (the second copy is absorbed by the first: r2 = 1).
  expect_equal(rep$status, c("index", rep$status[2], "clumped", "absent", "absent"))
  expect_equal(rep$r2[3], 1)
  # A repeated panel ID: the first panel row is used (r^2 with variant 2 is that of row 1).
  r2_with_2 <- function(snp) {
    d <- data.frame(SNP = c(snp, bim$V2[2]), pval.exposure = c(1e-9, 1e-3), id.exposure = "y")
    attr(clump_data(d, clump_r2 = 0, clump_kb = 1e6, bfile = prefix), "clump_report")$r2[2]
  }
  r2_row1 <- r2_with_2(bim$V2[1])
  r2_row3 <- r2_with_2(bim$V2[3])
  expect_false(isTRUE(all.equal(r2_row1, r2_row3)))
  bim2 <- bim
  bim2$V2[3] <- bim2$V2[1]
  utils::write.table(bim2, paste0(prefix, ".bim"), quote = FALSE, row.names = FALSE, col.names = FALSE)
  expect_identical(r2_with_2(bim$V2[1]), r2_row1)
  writeBin(as.raw(c(0x6c, 0x1b, 0x01, 0x00)), paste0(prefix, ".bed"))
  expect_error(clump_data(dat, bfile = prefix), class = "mrkit_error_panel_format")
})
