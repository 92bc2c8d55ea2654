# Proxies on a simulated panel whose truth is known: within a block the A1-A1 correlation
# of variants i and j has sign orientation[i] * orientation[j].
proxy_setup <- function(env = parent.frame()) {
  dir <- withr::local_tempdir(.local_envir = env)
  sim <- simulate_ld_panel(400, 600, block_size = 30, prefix = file.path(dir, "panel"), seed = 11)
  sim
}

# Outcome GWAS with a true effect gamma of the latent allele 1 at every variant of the
# targets' blocks: the effect of A1 at variant j is gamma * orientation[j] (0 elsewhere).
# Half of the rows report the A2 allele as effect allele (beta negated).
make_outcome <- function(v, gamma, blocks, seed = 1) {
  withr::local_seed(seed)
  b <- ifelse(v$block %in% blocks, gamma * v$orientation, 0) + stats::rnorm(nrow(v), 0, 1e-4)
  swap <- stats::runif(nrow(v)) < 0.5
  data.frame(SNP = v$SNP, beta.outcome = ifelse(swap, -b, b), se.outcome = 0.01,
             effect_allele.outcome = ifelse(swap, v$A2, v$A1), other_allele.outcome = ifelse(swap, v$A1, v$A2),
             eaf.outcome = 0.3, pval.outcome = 1e-5, chr.outcome = v$chr, pos.outcome = v$pos,
             id.outcome = "out1", outcome = "Y", mr_keep.outcome = TRUE, stringsAsFactors = FALSE)
}

test_that("a removed target is replaced by its best proxy with the effect sign correct for the target's alleles", {
  sim <- proxy_setup()
  v <- sim$variants
  targets <- v$SNP[v$block %in% c(2, 5, 9, 14) & ((seq_len(nrow(v)) %% 30) %in% c(5, 17))]
  gamma <- 0.2
  out <- make_outcome(v, gamma, blocks = c(2, 5, 9, 14))
  out <- out[!out$SNP %in% targets, ]
  # maf_threshold = 0.5 admits every palindromic proxy, so the best r^2 always wins here.
  res <- extract_outcome_data(targets, out, rsq = 0.6, bfile = sim$bfile, proxies = TRUE,
                              maf_threshold = 0.5)
  expect_equal(nrow(res), length(targets))
  expect_true(all(res$proxy.outcome))
  expect_equal(res$SNP, res$target_snp.outcome)
  tv <- v[match(res$SNP, v$SNP), ]
  # Effect of the reported effect allele of the target: + gamma * orientation if A1.
  truth <- gamma * tv$orientation * ifelse(res$effect_allele.outcome == tv$A1, 1, -1)
  expect_true(all(res$effect_allele.outcome == tv$A1 | res$effect_allele.outcome == tv$A2))
  expect_equal(sign(res$beta.outcome), sign(truth))
  expect_equal(res$effect_allele.outcome, res$target_a1.outcome)
  expect_equal(res$pos.outcome, tv$pos)
  # The proxy is the best available: highest r^2 among the outcome's variants nearby.
  rep <- attr(res, "proxy_report")
  expect_equal(rep$found, rep("proxy", length(targets)))
  for (i in seq_along(targets)) {
    blk <- v$SNP[v$block == v$block[v$SNP == targets[i]] & !v$SNP %in% targets]
    r <- ld_matrix(c(targets[i], blk), sim$bfile, with_alleles = FALSE)[1, -1]
    expect_equal(rep$proxy_snp[i], names(which.max(r^2)))
    expect_equal(rep$r2[i], max(r^2), tolerance = 1e-12)
  }
  # align_alleles = 0 keeps the proxy's own alleles.
  raw <- extract_outcome_data(targets, out, rsq = 0.6, bfile = sim$bfile, align_alleles = 0,
                              maf_threshold = 0.5)
  expect_equal(raw$effect_allele.outcome, raw$proxy_a1.outcome)
  expect_equal(raw$beta.outcome, res$beta.outcome)
})

test_that("direct hits, proxies and misses are reported; two targets never share a proxy", {
  sim <- proxy_setup()
  v <- sim$variants
  out <- make_outcome(v, 0.1, blocks = 3)
  t1 <- v$SNP[v$block == 3][10]; t2 <- v$SNP[v$block == 3][11]
  # Leave a single candidate in block 3 so both targets want the same proxy.
  keep3 <- v$SNP[v$block == 3][12]
  out <- out[!(v$block == 3) | out$SNP == keep3, ]
  snps <- c(v$SNP[1], t1, t2, "rs_absent")
  res <- extract_outcome_data(snps, out, rsq = 0.3, bfile = sim$bfile)
  rep <- attr(res, "proxy_report")
  expect_equal(rep$found, c("direct", "proxy", "not found", "not found"))
  expect_equal(rep$proxy_snp[2], keep3)
  expect_equal(rep$reason[4], "absent from the LD reference panel")
  expect_equal(res$SNP, c(v$SNP[1], t1))
  expect_equal(res$proxy.outcome, c(FALSE, TRUE))
  expect_true(is.na(res$proxy_snp.outcome[1]))
  expect_true(all(c("proxy.outcome", "target_snp.outcome", "proxy_snp.outcome", "target_a1.outcome",
                    "target_a2.outcome", "proxy_a1.outcome", "proxy_a2.outcome") %in% names(res)))
  # rsq too high: no proxy.
  none <- extract_outcome_data(snps, out, rsq = 1, bfile = sim$bfile)
  expect_equal(attr(none, "proxy_report")$found[2], "not found")
  # proxies = FALSE needs no panel.
  direct <- extract_outcome_data(snps, out, proxies = FALSE)
  expect_equal(direct$SNP, v$SNP[1])
  expect_equal(attr(direct, "proxy_report")$reason[2], "proxies not requested")
  # No instruments: an empty table and an empty report.
  empty <- extract_outcome_data(character(), out, bfile = sim$bfile)
  expect_equal(nrow(empty), 0L)
  expect_equal(nrow(attr(empty, "proxy_report")), 0L)
})

test_that("palindromic proxies follow palindromes and maf_threshold", {
  sim <- proxy_setup()
  v <- sim$variants
  pal <- (v$A1 == "A" & v$A2 == "T") | (v$A1 == "T" & v$A2 == "A") | (v$A1 == "C" & v$A2 == "G") | (v$A1 == "G" & v$A2 == "C")
  # A block target whose neighbours include a palindromic variant: offer only that one.
  blk <- unique(v$block[pal])[1]
  k <- which(v$block == blk & pal)[1]
  cand <- v$SNP[k]
  target <- v$SNP[if (v$block[k + 1] == blk) k + 1 else k - 1]
  out <- make_outcome(v, 0.1, blocks = blk)
  out <- out[!(v$block == blk) | out$SNP == cand, ]
  f <- mean(read_bed_dosages_r(sim$bfile)[, cand], na.rm = TRUE) / 2
  maf <- min(f, 1 - f)
  found <- function(...) attr(extract_outcome_data(target, out, rsq = 0.3, bfile = sim$bfile, ...), "proxy_report")$found
  expect_equal(found(palindromes = 0), "not found")
  expect_equal(found(palindromes = 1, maf_threshold = min(0.5, maf + 0.01)), "proxy")
  expect_equal(found(palindromes = 1, maf_threshold = maf - 0.001), "not found")
})

test_that("outcomes may be a list of tables or files", {
  sim <- proxy_setup()
  v <- sim$variants
  o1 <- make_outcome(v, 0.1, blocks = 1)
  o2 <- o1; o2$id.outcome <- "out2"
  t <- v$SNP[5]
  o1 <- o1[o1$SNP != t, ]
  res <- extract_outcome_data(t, list(o1, o2), rsq = 0.5, bfile = sim$bfile)
  expect_equal(res$id.outcome, c("out1", "out2"))
  expect_equal(res$proxy.outcome, c(TRUE, FALSE))
  f <- withr::local_tempfile(fileext = ".txt")
  utils::write.table(data.frame(SNP = o1$SNP, beta = o1$beta.outcome, se = o1$se.outcome,
                                effect_allele = o1$effect_allele.outcome, other_allele = o1$other_allele.outcome,
                                eaf = o1$eaf.outcome, pval = o1$pval.outcome), f, row.names = FALSE, quote = FALSE)
  fr <- extract_outcome_data(t, f, rsq = 0.5, bfile = sim$bfile)
  expect_equal(fr$SNP, t)
  expect_true(fr$proxy.outcome)
  expect_equal(fr$beta.outcome, res$beta.outcome[1])
})

test_that("bad input gives classed errors", {
  out <- data.frame(SNP = "rs1", beta.outcome = 1, se.outcome = 1, effect_allele.outcome = "A",
                    other_allele.outcome = "G", id.outcome = "o")
  expect_error(extract_outcome_data("rs2", out), class = "mrkit_error_bfile_missing")
  expect_error(extract_outcome_data("rs2", out, rsq = 2, bfile = example_panel()), class = "mrkit_error_parameter")
  expect_error(extract_outcome_data("rs2", out[, 1:3], bfile = example_panel()), class = "mrkit_error_missing_column")
  expect_error(extract_outcome_data("rs2", "no_such_file.txt", bfile = example_panel()),
               class = "mrkit_error_file_not_found")
  expect_error(extract_outcome_data("rs2", 42, bfile = example_panel()), class = "mrkit_error_input_type")
  expect_error(extract_outcome_data(1, out, bfile = example_panel()), class = "mrkit_error_input_type")
})

test_that("no panel is needed when no instrument is missing; files of any format and separator", {
  snps <- example_exposure$SNP[1:10]
  res <- extract_outcome_data(snps, example_outcome)
  expect_identical(res$SNP, snps)
  expect_identical(attr(res, "proxy_report")$found, rep("direct", 10))
  # One instrument (the 17th) is absent from the example outcome: proxies need the panel.
  expect_error(extract_outcome_data(example_exposure$SNP, example_outcome), class = "mrkit_error_bfile_missing")
  expect_snapshot(extract_outcome_data(example_exposure$SNP, example_outcome), error = TRUE)
  expect_identical(nrow(extract_outcome_data(example_exposure$SNP, example_outcome, proxies = FALSE)),
                   nrow(example_exposure) - 1L)
  # With the panel the example instruments are found in it (the panel shares their SNPs).
  withp <- extract_outcome_data(example_exposure$SNP, example_outcome, bfile = example_panel())
  rep <- attr(withp, "proxy_report")
  expect_identical(rep$reason[rep$found != "direct"], "no proxy with r2 >= rsq in the outcome")
  # A comma-separated file is split on commas (detected), and sep is passed on.
  f <- withr::local_tempfile(fileext = ".csv")
  raw <- data.frame(SNP = example_outcome$SNP, beta = example_outcome$beta.outcome,
                    se = example_outcome$se.outcome, effect_allele = example_outcome$effect_allele.outcome,
                    other_allele = example_outcome$other_allele.outcome, eaf = example_outcome$eaf.outcome,
                    pval = example_outcome$pval.outcome, Phenotype = "Coronary heart disease (simulated)")
  utils::write.csv(raw[!is.na(raw$effect_allele), ], f, row.names = FALSE)
  fr <- extract_outcome_data(snps, f)
  expect_identical(fr$SNP, snps)
  expect_identical(fr$outcome, rep("Coronary heart disease (simulated)", 10))
  expect_equal(fr$beta.outcome, example_outcome$beta.outcome[1:10])
  expect_identical(extract_outcome_data(snps, f, sep = ",")$beta.outcome, fr$beta.outcome)
})

# plink 1.9 --r2 pairs recorded as fixtures (see fixtures/ld-partners/README.md).
plink_r2_pairs <- function(file) {
  utils::read.delim(test_path("fixtures", "ld-partners", file), stringsAsFactors = FALSE)
}

test_that("LD partners are exactly plink 1.9's --r2 pairs (window, threshold, missing genotypes)", {
  cases <- list(list(prefix = example_panel(), ld = "example_panel_r2_0.8_kb_10.tsv.gz", kb = 10, rsq = 0.8),
                list(prefix = test_path("fixtures", "ld-partners", "missing_panel"),
                     ld = "missing_panel_r2_0.5_kb_20.tsv.gz", kb = 20, rsq = 0.5))
  for (cs in cases) {
    pl <- plink_r2_pairs(cs$ld)
    snps <- panel_info(cs$prefix)$SNP
    got <- proxy_ld_partners(snps, cs$prefix, cs$kb, cs$rsq, threads = 2L)
    # Every pair both ways (target -> partner), and nothing else.
    want <- rbind(data.frame(target = pl$SNP_A, SNP = pl$SNP_B), data.frame(target = pl$SNP_B, SNP = pl$SNP_A))
    expect_setequal(paste(got$target, got$SNP), paste(want$target, want$SNP))
    expect_identical(nrow(got), nrow(want))
    m <- match(paste(pl$SNP_A, pl$SNP_B), paste(got$target, got$SNP))
    expect_equal(got$r[m]^2, pl$R2, tolerance = 1e-5)
    # Grouped by target in the order asked for.
    expect_identical(unique(got$target), snps[snps %in% got$target])
  }
  # A target outside the panel has none; one without partners neither.
  expect_identical(nrow(proxy_ld_partners(c("not_in_panel"), example_panel(), 10, 0.8)), 0L)
  expect_identical(nrow(proxy_ld_partners(snps[1], cases[[2]]$prefix, 0, 0.5)), 0L)
})

test_that("an outcome file's second pass keeps only the missing instruments' LD partners, same proxies", {
  sim <- proxy_setup()
  v <- sim$variants
  targets <- v$SNP[c(3, 40, 95, 200, 333)]
  out <- make_outcome(v, 0.2, blocks = unique(v$block[v$SNP %in% targets]))
  out <- out[!out$SNP %in% targets[c(1, 3, 4)], ]
  f <- withr::local_tempfile(fileext = ".tsv")
  utils::write.table(data.frame(SNP = out$SNP, beta = out$beta.outcome, se = out$se.outcome,
                                effect_allele = out$effect_allele.outcome, other_allele = out$other_allele.outcome,
                                eaf = out$eaf.outcome, pval = out$pval.outcome), f, row.names = FALSE,
                     quote = FALSE, sep = "\t")
  from_file <- extract_outcome_data(targets, f, rsq = 0.7, bfile = sim$bfile, maf_threshold = 0.5)
  from_table <- extract_outcome_data(targets, out, rsq = 0.7, bfile = sim$bfile, maf_threshold = 0.5)
  expect_identical(attr(from_file, "proxy_report")[c("SNP", "found", "proxy_snp")],
                   attr(from_table, "proxy_report")[c("SNP", "found", "proxy_snp")])
  expect_equal(from_file$beta.outcome, from_table$beta.outcome)
  expect_gt(sum(from_file$proxy.outcome), 0L)
  # The rows read: the instruments present and the LD partners (r^2 >= rsq within the
  # window, by the full LD matrix) of the three missing ones -- not their whole windows.
  src <- data.frame(kind = "file", file = f, source = f, stringsAsFactors = FALSE)
  read <- read_local_outcomes(src, targets, TRUE, sim$bfile, 5000, 0.7, 1L)[[1]]
  r <- ld_matrix(v$SNP, sim$bfile, with_alleles = FALSE)
  partners <- unlist(lapply(targets[c(1, 3, 4)], function(t) {
    colnames(r)[r[t, ]^2 >= 0.7 & colnames(r) != t & v$chr == v$chr[v$SNP == t]]
  }))
  expect_setequal(read$SNP, intersect(unique(c(targets, partners)), out$SNP))
})
