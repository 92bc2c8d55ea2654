# Small exposure/outcome tables in format_data() layout.
exp_tab <- function(snp, ea, oa, beta = 0.1, eaf = 0.2, se = 0.01, id = "e1") {
  data.frame(SNP = snp, id.exposure = id, exposure = "Exp", beta.exposure = beta,
             se.exposure = se, effect_allele.exposure = ea, other_allele.exposure = oa,
             eaf.exposure = eaf, stringsAsFactors = FALSE)
}
out_tab <- function(snp, ea, oa, beta = 0.05, eaf = 0.2, se = 0.02, id = "o1") {
  data.frame(SNP = snp, id.outcome = id, outcome = "Out", beta.outcome = beta,
             se.outcome = se, effect_allele.outcome = ea, other_allele.outcome = oa,
             eaf.outcome = eaf, stringsAsFactors = FALSE)
}
one <- function(ea1, oa1, ea2, oa2, f1 = 0.2, f2 = 0.2, action = 2, b2 = 0.05) {
  harmonise_data(exp_tab("rs1", ea1, oa1, eaf = f1), out_tab("rs1", ea2, oa2, eaf = f2, beta = b2),
                 action = action)
}

test_that("BMI -> CHD harmonisation equals TwoSampleMR's output column by column", {
  skip_if_no_shared()
  e <- read_shared("data", "bmi_chd", "exposure.csv")
  o <- read_shared("data", "bmi_chd", "outcome.csv")
  gold <- read_shared("data", "bmi_chd", "harmonised.csv")
  h <- harmonise_data(e, o)
  expect_equal(nrow(h), nrow(gold))
  for (col in setdiff(names(gold), "action")) {
    expect_identical(h[[col]], gold[[col]], label = col)
  }
  # The CSV stores action as text "2"; TwoSampleMR's column is the number 2.
  expect_identical(h$action, rep(2, nrow(gold)))
  expect_identical(names(h)[1:13], c("SNP", "effect_allele.exposure", "other_allele.exposure",
    "effect_allele.outcome", "other_allele.outcome", "beta.exposure", "beta.outcome",
    "eaf.exposure", "eaf.outcome", "remove", "palindromic", "ambiguous", "id.outcome"))
  expect_identical(utils::tail(names(h), 3), c("action", "SNP_index", "mr_keep"))
  extra <- c("chr", "pos", "originalname.outcome", "outcome.deprecated", "mr_keep.outcome",
             "data_source.outcome", "chr.exposure", "pos.exposure", "mr_keep.exposure",
             "pval_origin.exposure", "data_source.exposure", "SNP_index")
  expect_true(all(extra %in% names(h)))
  lg <- attr(h, "log")
  expect_equal(nrow(lg), 1L)
  expect_equal(lg$candidate_variants, 79L)
  expect_equal(lg$total_variants_for_mr, 79L)
  expect_equal(lg$alleles, "2-2")
  au <- harmonise_audit(h)
  expect_equal(nrow(au), 79L)
  expect_equal(sum(au$status == "palindromic_inferred"), sum(gold$palindromic))
})

test_that("multivariable lipids -> CHD data harmonise with 143 SNPs per exposure", {
  skip_if_no_shared()
  e <- read_shared("data", "mv_lipids_chd", "exposure.csv")
  o <- read_shared("data", "mv_lipids_chd", "outcome.csv")
  h <- harmonise_data(e, o)
  expect_equal(length(unique(h$SNP)), 143L)
  expect_equal(as.vector(table(h$id.exposure)), c(143L, 143L, 143L))
  expect_true(all(is.na(h$samplesize.outcome) | h$samplesize.outcome > 0))
  lg <- attr(h, "log")
  expect_equal(lg$variants_absent_from_reference, c(1L, 1L, 1L))
  au <- harmonise_audit(h)
  expect_equal(sum(au$reason == "absent from outcome"), 3L)
  expect_equal(nrow(au), 432L)
})

test_that("2-2: matching, swapped, strand-flipped and incompatible alleles", {
  h <- one("A", "G", "A", "G")
  expect_equal(h$beta.outcome, 0.05); expect_true(h$mr_keep)
  h <- one("A", "G", "G", "A", f2 = 0.8)
  expect_equal(h$beta.outcome, -0.05); expect_equal(h$eaf.outcome, 1 - 0.8)
  expect_identical(c(h$effect_allele.outcome, h$other_allele.outcome), c("A", "G"))
  expect_equal(harmonise_audit(h)$status, "flipped")
  h <- one("A", "G", "T", "C")
  expect_equal(h$beta.outcome, 0.05)
  expect_identical(c(h$effect_allele.outcome, h$other_allele.outcome), c("A", "G"))
  expect_equal(harmonise_audit(h)$status, "strand_flipped")
  expect_equal(attr(h, "log")$flipped_alleles_basic, 1L)
  h <- one("A", "G", "C", "T", f2 = 0.8)
  expect_equal(h$beta.outcome, -0.05)
  expect_equal(h$eaf.outcome, 1 - 0.8)
  h <- one("A", "G", "A", "C")
  expect_true(h$remove); expect_false(h$mr_keep)
  expect_equal(harmonise_audit(h)$reason, "incompatible alleles")
  # Strand flip and swap happen for every action (documented quirk of TwoSampleMR).
  for (a in 1:3) expect_equal(one("A", "G", "C", "T", action = a)$beta.outcome, -0.05)
})

test_that("palindromes: frequency rule 0.42/0.58 and each action", {
  # Same side of 0.5: kept, no flip.
  h <- one("A", "T", "A", "T", f1 = 0.2, f2 = 0.25)
  expect_true(h$palindromic); expect_false(h$ambiguous); expect_true(h$mr_keep)
  expect_equal(h$beta.outcome, 0.05)
  expect_equal(harmonise_audit(h)$status, "palindromic_inferred")
  # Opposite sides of 0.5 with action 2: outcome effect flipped, alleles unchanged.
  h <- one("A", "T", "A", "T", f1 = 0.2, f2 = 0.8)
  expect_equal(h$beta.outcome, -0.05); expect_equal(h$eaf.outcome, 1 - 0.8)
  expect_identical(h$effect_allele.outcome, "A")
  expect_equal(attr(h, "log")$flipped_alleles_palindrome, 1L)
  expect_match(harmonise_audit(h)$reason, "opposite strand")
  # Action 1 keeps it unflipped, action 3 drops it.
  h1 <- one("A", "T", "A", "T", f1 = 0.2, f2 = 0.8, action = 1)
  expect_equal(h1$beta.outcome, 0.05); expect_true(h1$mr_keep)
  h3 <- one("A", "T", "A", "T", f1 = 0.2, f2 = 0.8, action = "drop_palindromes")
  expect_false(h3$mr_keep); expect_equal(h3$action, 3)
  expect_match(harmonise_audit(h3)$reason, "action 3")
  # Intermediate frequency (0.42 < f < 0.58) on either side, or missing: ambiguous.
  for (f in list(c(0.45, 0.2), c(0.2, 0.57), c(NA, 0.2))) {
    h <- one("C", "G", "C", "G", f1 = f[1], f2 = f[2])
    expect_true(h$ambiguous); expect_false(h$mr_keep)
    expect_equal(harmonise_audit(h)$reason, "palindromic with intermediate allele frequency")
    expect_true(one("C", "G", "C", "G", f1 = f[1], f2 = f[2], action = 1)$mr_keep)
  }
  # Boundaries are exclusive.
  expect_false(one("C", "G", "C", "G", f1 = 0.42, f2 = 0.2)$ambiguous)
  expect_false(one("C", "G", "C", "G", f1 = 0.58, f2 = 0.7)$ambiguous)
  # Reported on the other allele order: swapped first, then frequency check.
  h <- one("A", "T", "T", "A", f1 = 0.2, f2 = 0.8)
  expect_equal(h$beta.outcome, -0.05); expect_equal(h$eaf.outcome, 0.2, tolerance = 1e-15)
  expect_equal(one("A", "T", "A", "T", action = "keep_palindromes")$action, 1)
  expect_equal(one("A", "T", "A", "T", action = "infer_palindromes")$action, 2)
})

test_that("2-1, 1-2 and 1-1 allele classes", {
  # 2-1: outcome has only its effect allele.
  h <- one("A", "G", "A", NA, f1 = 0.2, f2 = 0.25)
  expect_equal(h$other_allele.outcome, "G"); expect_false(h$ambiguous); expect_true(h$mr_keep)
  expect_equal(attr(h, "log")$alleles, "2-1")
  h <- one("A", "G", "G", NA, f1 = 0.2, f2 = 0.8)
  expect_equal(h$beta.outcome, -0.05); expect_false(h$ambiguous)
  h <- one("A", "G", "G", NA, f1 = 0.2, f2 = 0.2)
  expect_true(h$ambiguous); expect_false(h$mr_keep)
  expect_match(harmonise_audit(h)$reason, "single-allele")
  h <- one("A", "G", "T", NA, f1 = 0.2, f2 = 0.2)
  expect_equal(h$effect_allele.outcome, "A"); expect_true(h$ambiguous)
  expect_equal(attr(h, "log")$flipped_alleles_no_oa, 1L)
  h <- one("A", "T", "A", NA)
  expect_true(h$remove); expect_true(h$palindromic)
  # 1-2: exposure has only its effect allele; matched to the outcome's other allele the
  # exposure effect is negated.
  h <- one("A", NA, "G", "A", f1 = 0.2, f2 = 0.8)
  expect_equal(h$beta.exposure, -0.1); expect_equal(h$beta.outcome, 0.05)
  expect_identical(c(h$effect_allele.exposure, h$other_allele.exposure), c("G", "A"))
  expect_equal(attr(h, "log")$alleles, "1-2")
  h <- one("A", NA, "A", "G", f1 = 0.2, f2 = 0.2)
  expect_equal(h$other_allele.exposure, "G"); expect_true(h$mr_keep)
  expect_true(one("A", NA, "A", "T")$remove)
  # 1-1: only effect alleles.
  h <- one("A", NA, "A", NA, f1 = 0.2, f2 = 0.2)
  expect_false(h$remove); expect_true(h$mr_keep)
  h <- one("A", NA, "G", NA)
  expect_true(h$remove); expect_false(h$mr_keep)
  expect_true(one("A", NA, "A", NA, f1 = 0.5, f2 = 0.2)$ambiguous)
})

test_that("indels: D/I against sequences, equal-length and identical alleles", {
  h <- one("AT", "A", "I", "D")
  expect_identical(c(h$effect_allele.outcome, h$other_allele.outcome), c("AT", "A"))
  expect_equal(h$beta.outcome, 0.05); expect_true(h$mr_keep)
  h <- one("AT", "A", "D", "I")
  expect_identical(c(h$effect_allele.outcome, h$other_allele.outcome), c("AT", "A"))
  expect_equal(h$beta.outcome, -0.05)
  h <- one("I", "D", "A", "AT")
  expect_identical(c(h$effect_allele.exposure, h$other_allele.exposure), c("AT", "A"))
  expect_equal(h$beta.outcome, -0.05)
  h <- one("D", "I", "A", "AT")
  expect_identical(c(h$effect_allele.exposure, h$other_allele.exposure), c("A", "AT"))
  expect_equal(h$beta.outcome, 0.05)
  expect_true(one("AT", "GC", "I", "D")$remove)
  # Both sides coded I/D the same way: they match as labels.
  expect_false(one("I", "D", "I", "D")$remove)
  expect_true(one("I", "I", "I", "D")$remove)
  # Sequence indels are strand-flipped like SNPs.
  h <- one("AC", "A", "TG", "T")
  expect_equal(h$beta.outcome, 0.05); expect_true(h$mr_keep)
  # 2-1 with an indel coded I on the outcome side.
  h <- one("AT", "A", "I", NA, f1 = 0.2, f2 = 0.2)
  expect_identical(c(h$effect_allele.outcome, h$other_allele.outcome), c("AT", "A"))
  expect_false(h$remove)
  # 1-2 with an indel coded D on the exposure side.
  # D = "A", so the exposure effect is re-expressed for "AT" (negated).
  h <- one("D", NA, "AT", "A", f1 = 0.8, f2 = 0.2)
  expect_identical(c(h$effect_allele.exposure, h$other_allele.exposure), c("AT", "A"))
  expect_equal(h$beta.exposure, -0.1)
  expect_false(h$remove); expect_false(h$ambiguous)
})

test_that("missing effect alleles, absent SNPs and missing values appear in the audit", {
  e <- exp_tab(c("rs1", "rs2", "rs3", "rs4", "rs5"), c("A", NA, "C", "A", "A"),
               c("G", "G", "T", "G", "G"))
  o <- out_tab(c("rs1", "rs2", "rs3", "rs4"), c("A", "A", NA, "A"), c("G", "G", "T", "G"),
               beta = c(0.1, 0.1, 0.1, NA))
  h <- harmonise_data(e, o)
  expect_identical(h$SNP, c("rs1", "rs4"))
  expect_identical(h$mr_keep, c(TRUE, FALSE))
  au <- harmonise_audit(h)
  expect_identical(au$SNP, c("rs1", "rs2", "rs3", "rs4", "rs5"))
  expect_identical(au$reason[-1], c("missing effect allele in exposure",
                                    "missing effect allele in outcome", "missing beta or se",
                                    "absent from outcome"))
  expect_identical(au$status[-1], rep("dropped", 4))
  expect_equal(attr(h, "log")$variants_absent_from_reference, 3L)
})

test_that("several outcomes, per-outcome action and sorting", {
  e <- exp_tab(c("rs2", "rs1", "rs10"), c("A", "A", "A"), c("T", "G", "G"),
               eaf = c(0.2, 0.2, 0.2))
  o <- rbind(out_tab(c("rs1", "rs2", "rs10"), "A", c("G", "T", "G"), eaf = 0.8, id = "o2"),
             out_tab(c("rs1", "rs2", "rs10"), "A", c("G", "T", "G"), eaf = 0.8, id = "o1"))
  h <- harmonise_data(e, o, action = c(3, 2))
  expect_identical(h$id.outcome, rep(c("o1", "o2"), each = 3))
  expect_identical(h$SNP[1:3], c("rs10", "rs1", "rs2"))
  # The unnamed vector follows the outcome order of the SNP-sorted join (o2 before o1).
  expect_identical(h$action, c(2, 2, 2, 3, 3, 3))
  expect_identical(h$beta.outcome[h$SNP == "rs2"], c(-0.05, 0.05))
  h2 <- harmonise_data(e, o, action = c(o1 = 3, o2 = 2))
  expect_identical(h2$action, c(3, 3, 3, 2, 2, 2))
  expect_equal(nrow(attr(h, "log")), 2L)
  expect_true(is.na(attr(harmonise_data(e, o, action = 1), "log")$ambiguous_alleles[1]))
  # Numeric ids (as in old MR-Base tables) are counted by value, not by position.
  e$id.exposure <- 1024
  expect_equal(attr(harmonise_data(e, o), "log")$candidate_variants, c(3L, 3L))
})

test_that("simulated separate tables harmonise back to the truth", {
  s <- simulate_mr_data(nsnp = 400, output = "separate", flip_prop = 0.3,
                        palindromic_prop = 0.2, seed = 11)
  truth <- simulate_mr_data(nsnp = 400, output = "harmonised", palindromic_prop = 0.2,
                            seed = 11)
  h <- harmonise_data(s$exposure, s$outcome)
  h <- h[match(s$exposure$SNP, h$SNP), ]
  expect_equal(h$beta.outcome, truth$beta.outcome, tolerance = 0)
  expect_equal(h$beta.exposure, s$exposure$beta.exposure, tolerance = 0)
  expect_equal(h$eaf.outcome, truth$eaf.outcome, tolerance = 1e-12)
  flipped <- attr(s, "truth")$flipped
  expect_gt(sum(flipped), 50)
  pal <- truth$palindromic
  inter <- pal & truth$eaf.exposure > 0.42
  expect_identical(h$mr_keep, !inter)
  au <- harmonise_audit(harmonise_data(s$exposure, s$outcome))
  au <- au[match(s$exposure$SNP, au$SNP), ]
  expect_true(all(au$status[flipped & !pal] == "flipped"))
})

test_that("harmonise_data converts data.table-like inputs and validates", {
  e <- exp_tab("rs1", "A", "G"); o <- out_tab("rs1", "A", "G")
  class(e) <- c("tbl_df", "tbl", "data.frame")
  expect_equal(harmonise_data(e, o)$beta.outcome, 0.05)
  expect_error(harmonise_data(exp_tab("rs1", "A", "G"), out_tab("rs2", "A", "G")),
               class = "mrkit_error_no_overlap")
  expect_error(harmonise_data(exp_tab("rs1", "A", "G")[-4], o),
               class = "mrkit_error_missing_column")
  bad <- exp_tab("rs1", "A", "G"); bad$beta.exposure <- "0.1"
  expect_error(harmonise_data(bad, o), class = "mrkit_error_input_type")
  expect_error(harmonise_data(exp_tab("rs1", "A", "G"), o, action = 4),
               class = "mrkit_error_invalid_action")
  expect_error(harmonise_audit(data.frame()), class = "mrkit_error_input_type")
  expect_snapshot(error = TRUE, harmonise_data(exp_tab("rs1", "A", "G"), out_tab("rs2", "A", "G")))
  expect_snapshot(error = TRUE, harmonise_data(exp_tab("rs1", "A", "G")[-c(4, 5)], o))
  expect_snapshot(error = TRUE, harmonise_data(bad, o))
  expect_snapshot(error = TRUE, harmonise_data(exp_tab("rs1", "A", "G"), o, action = 4))
  expect_snapshot(error = TRUE, harmonise_data(exp_tab("rs1", "A", "G"), o, action = "flip"))
  expect_snapshot(error = TRUE, harmonise_data(exp_tab("rs1", "A", "G"), o, action = c(1, 2)))
  expect_snapshot(error = TRUE, harmonise_data(list(), o))
})

test_that("harmonise_data catches duplicated SNPs, impossible eaf, empty and swapped input", {
  sim <- simulate_mr_data(nsnp = 12, output = "separate", seed = 11)
  e <- sim$exposure; o <- sim$outcome
  # A SNP repeated in the exposure: its first row is used, the second dropped and audited.
  e2 <- rbind(e, transform(e[3, ], beta.exposure = 99))
  expect_warning(h <- suppressMessages(harmonise_data(e2, o)), class = "mrkit_warning_duplicated_snp")
  rows <- h[h$SNP == e$SNP[3], ]
  expect_identical(rows$mr_keep, c(TRUE, FALSE))
  expect_identical(rows$beta.exposure[rows$mr_keep], e$beta.exposure[3])
  a <- harmonise_audit(h)
  expect_identical(a$reason[a$SNP == e$SNP[3]][2], "duplicated SNP in the pair (first row used)")
  # mr() then runs on the 12 distinct SNPs (it rejected the duplicate before).
  expect_identical(suppressWarnings(mr(h, method_list = "mr_ivw"))$nsnp, 12L)
  # Allele frequencies outside [0, 1] are set to missing, with a warning and an audit note.
  e3 <- e; e3$eaf.exposure[2] <- 1.3; e3$eaf.exposure[5] <- -0.1
  expect_warning(h3 <- suppressMessages(harmonise_data(e3, o)), class = "mrkit_warning_eaf_range")
  expect_true(all(is.na(h3$eaf.exposure[h3$SNP %in% e$SNP[c(2, 5)]])))
  a3 <- harmonise_audit(h3)
  expect_match(a3$reason[a3$SNP %in% e$SNP[c(2, 5)]], "eaf.exposure outside \\[0, 1\\] set to missing")
  # Empty tables and swapped arguments.
  expect_error(harmonise_data(e[0, ], o), class = "mrkit_error_no_data")
  expect_error(harmonise_data(o, e), class = "mrkit_error_swapped_arguments")
  expect_snapshot(harmonise_data(o, e), error = TRUE)
})

test_that("harmonise_data says in one line what it removed and where the audit is", {
  expect_snapshot(h <- harmonise_data(example_exposure, example_outcome))
  a <- harmonise_audit(h)
  # The example data: one instrument absent from the outcome, one outcome row without
  # effect allele (data-raw/make-example-data.R), and what the allele rules drop.
  expect_identical(sum(a$reason == "absent from outcome"), 1L)
  expect_identical(sum(a$reason == "missing effect allele in outcome"), 1L)
  expect_identical(sum(a$status != "dropped"), sum(h$mr_keep))
  expect_message(harmonise_data(example_exposure, example_outcome), class = "mrkit_message_harmonise")
})

test_that("harmonise_data keeps the provenance of its inputs, by role", {
  e <- example_exposure
  o <- example_outcome
  attr(e, "provenance") <- data.frame(id = "ieu-a-2", source = "OpenGWAS API", location = "u/ieu-a-2",
                                      build = "HG19/GRCh37", trait = "BMI", stringsAsFactors = FALSE)
  attr(o, "provenance") <- data.frame(id = "chd", source = "file", location = "/d/chd.tsv",
                                      build = NA_character_, trait = NA_character_, stringsAsFactors = FALSE)
  h <- suppressMessages(harmonise_data(e, o))
  p <- attr(h, "provenance")
  expect_identical(p$role, c("exposure", "outcome"))
  expect_identical(p$id, c("ieu-a-2", "chd"))
  expect_identical(p$location, c("u/ieu-a-2", "/d/chd.tsv"))
  # only one side known
  h2 <- suppressMessages(harmonise_data(example_exposure, o))
  expect_identical(attr(h2, "provenance")$role, "outcome")
  expect_null(attr(suppressMessages(harmonise_data(example_exposure, example_outcome)), "provenance"))
})
