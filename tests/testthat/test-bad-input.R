# The bad-input table: the exported entry points fed the inputs users really give them.
# This file is the one exception to "one test file per R file": it is a table across the
# package. Each case names the function, the input and the outcome, which is either
#   * error: a classed `mrkit_error_*` whose message names the column, SNP, file/line or rule
#     given in `mentions`, or
#   * result: the documented result, checked by `check` (for inputs that are accepted, such as
#     tibbles, and for rows that are left out, which must be announced and audited).
# Never a crash, a hang, or an R error from deep inside. The count of cases is printed by the
# last test.

bad_cases <- new.env()
bad_cases$n <- 0L

# An input that must fail with `class`, the message naming every string in `mentions`.
expect_bad <- function(fun, input, expr, class, mentions = character()) {
  expr <- substitute(expr)
  env <- parent.frame()
  bad_cases$n <- bad_cases$n + 1L
  test_that(paste0(fun, "(): ", input, " -> ", class), {
    cnd <- expect_error(suppressMessages(suppressWarnings(eval(expr, env))), class = class)
    msg <- cli::ansi_strip(conditionMessage(cnd))
    for (m in mentions) expect_match(msg, m, fixed = TRUE)
    expect_s3_class(cnd, "mrkit_error")
  })
}

# An input that must be accepted; `check(result, conditions)` asserts the outcome. Messages
# and warnings are collected, not printed.
expect_accepted <- function(fun, input, expr, check) {
  expr <- substitute(expr)
  env <- parent.frame()
  bad_cases$n <- bad_cases$n + 1L
  test_that(paste0(fun, "(): ", input, " -> result"), {
    conds <- list()
    res <- withCallingHandlers(eval(expr, env),
      message = function(m) { conds[[length(conds) + 1L]] <<- m; invokeRestart("muffleMessage") },
      warning = function(w) { conds[[length(conds) + 1L]] <<- w; invokeRestart("muffleWarning") })
    check(res, conds)
  })
}

# The condition of class `class` among `conds`, whose message names every string in `mentions`.
expect_condition_naming <- function(conds, class, mentions = character()) {
  hit <- Filter(function(c) inherits(c, class), conds)
  expect_true(length(hit) >= 1L, label = paste("a condition of class", class))
  if (length(hit)) {
    msg <- cli::ansi_strip(conditionMessage(hit[[1]]))
    for (m in mentions) expect_match(msg, m, fixed = TRUE)
  }
}

# ---- harmonised tables: every function that takes `dat` ----------------------------------

d <- simulate_mr_data(nsnp = 12, b = 0.2, seed = 11)
snp <- d$SNP
with_col <- function(col, i, value) { x <- d; x[[col]][i] <- value; x }

# Seeded, so that two runs on the same data can be compared.
dat_funs <- list(
  mr = function(x) withr::with_seed(1, mr(x, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))),
  mr_heterogeneity = function(x) mr_heterogeneity(x),
  mr_pleiotropy_test = function(x) mr_pleiotropy_test(x),
  mr_leaveoneout = function(x) mr_leaveoneout(x),
  mr_singlesnp = function(x) mr_singlesnp(x),
  mr_fstat = function(x) mr_fstat(x),
  mr_outliers = function(x) withr::with_seed(1, mr_outliers(x)),
  mr_rucker = function(x) mr_rucker(x),
  mr_presso = function(x) mr_presso(x, NbDistribution = 100, seed = 1)
)
arg_name <- function(f) if (f == "mr_presso") "data" else "dat"

for (f in names(dat_funs)) {
  run <- dat_funs[[f]]
  expect_bad(f, "NULL", run(NULL),
             if (f == "mr_presso") "mrkit_error_missing_argument" else "mrkit_error_input_type",
             arg_name(f))
  # mr_presso(x) takes a vector as its first argument, BetaOutcome (column names and `data`)
  expect_bad(f, "a numeric vector", run(d$beta.exposure),
             if (f == "mr_presso") "mrkit_error_missing_argument" else "mrkit_error_input_type", arg_name(f))
  expect_bad(f, "zero rows", run(d[0, ]),
             if (f == "mr_presso") "mrkit_error_too_few_snps" else "mrkit_error_no_data",
             if (f == "mr_presso") "J > K + 2" else "no rows")
  expect_bad(f, "no beta.exposure column", run(d[setdiff(names(d), "beta.exposure")]),
             "mrkit_error_missing_column", "beta.exposure")
  expect_bad(f, "se.outcome renamed SE.outcome",
             run(stats::setNames(d, sub("^se.outcome$", "SE.outcome", names(d)))),
             "mrkit_error_missing_column", "se.outcome")
  expect_bad(f, "beta.outcome as character", run(with_col("beta.outcome", TRUE, as.character(d$beta.outcome))),
             "mrkit_error_input_type", c("beta.outcome", "numeric"))
  expect_bad(f, "Inf in beta.exposure", run(with_col("beta.exposure", 5, Inf)),
             "mrkit_error_input_value", c("beta.exposure", "finite", snp[5]))
  expect_bad(f, "SE = 0", run(with_col("se.outcome", 2, 0)),
             "mrkit_error_se_nonpositive", c("se.outcome", snp[2]))
  expect_bad(f, "negative SE", run(with_col("se.exposure", 3, -0.01)),
             "mrkit_error_se_nonpositive", c("se.exposure", snp[3]))
  expect_bad(f, "duplicated SNP", run(rbind(d, d[4, ])),
             "mrkit_error_duplicated_snp", snp[4])
  for (v in c("NA", "NaN")) {
    local({
      bad <- with_col("se.exposure", 6, if (v == "NA") NA else NaN)
      expect_accepted(f, paste(v, "in se.exposure"), run(bad), function(res, conds) {
        expect_condition_naming(conds, "mrkit_message_rows_dropped", snp[6])
        if (is.data.frame(res)) expect_true(snp[6] %in% attr(res, "audit")$SNP)
      })
    })
  }
  expect_accepted(f, "a tibble", run(tibble::as_tibble(d)), function(res, conds) {
    expect_false(inherits(res, "tbl_df"))
    expect_identical(res, suppressMessages(suppressWarnings(run(d))))
  })
  expect_accepted(f, "a data.table", {
    skip_if_not_installed("data.table")
    run(data.table::as.data.table(d))
  }, function(res, conds) {
    expect_identical(unclass(res), unclass(suppressMessages(suppressWarnings(run(d)))))
  })
  expect_accepted(f, "SNP as a factor", run(transform(d, SNP = factor(SNP))), function(res, conds) {
    expect_equal(res, suppressMessages(suppressWarnings(run(d))), ignore_attr = TRUE)
  })
  if (f == "mr_presso") {
    expect_bad(f, "mr_keep all FALSE", run(with_col("mr_keep", TRUE, FALSE)),
               "mrkit_error_too_few_snps", c("J > K + 2", "0 complete variants"))
  } else {
    expect_accepted(f, "mr_keep all FALSE", run(with_col("mr_keep", TRUE, FALSE)), function(res, conds) {
      expect_true(length(conds) >= 1L, label = "a message or warning about the pair without variants")
    })
  }
}

# ---- one or two instruments: defined results, never an R error -----------------------------

expect_accepted("mr", "one variant", mr(d[1, ], method_list = c("mr_wald_ratio", "mr_ivw", "mr_egger_regression")),
                function(res, conds) {
                  expect_identical(res$method, "Wald ratio")
                  expect_equal(res$b, d$beta.outcome[1] / d$beta.exposure[1])
                  expect_identical(attr(res, "no_estimate")$method, c("Inverse variance weighted", "MR Egger"))
                })
expect_accepted("mr", "two variants", mr(d[1:2, ], method_list = c("mr_ivw", "mr_egger_regression")),
                function(res, conds) {
                  expect_identical(res$method, "Inverse variance weighted")
                  expect_identical(attr(res, "no_estimate")$method, "MR Egger")
                })
expect_accepted("mr_heterogeneity", "one variant", mr_heterogeneity(d[1, ]), function(res, conds) {
  expect_identical(nrow(res), 0L)
  expect_true(length(conds) == 1L && grepl("Not enough SNPs", conditionMessage(conds[[1]])))
})
expect_accepted("mr_pleiotropy_test", "two variants", mr_pleiotropy_test(d[1:2, ]), function(res, conds) {
  expect_true(is.na(res$egger_intercept))
})
expect_accepted("mr", "non-ASCII trait names", mr(with_col("exposure", TRUE, "K\u00f6rpergr\u00f6\u00dfe \u00b5g/L"),
                                                   method_list = "mr_ivw"),
                function(res, conds) expect_identical(res$exposure, "K\u00f6rpergr\u00f6\u00dfe \u00b5g/L"))
expect_accepted("mr", "100,000 variants in one pair",
                mr(simulate_mr_data(nsnp = 1e5, b = 0.1, seed = 2), method_list = c("mr_ivw", "mr_egger_regression")),
                function(res, conds) {
                  expect_identical(res$nsnp, c(1e5L, 1e5L))
                  # mean F about 50: IVW diluted towards 0 by about 1/F
                  expect_equal(res$b[1], 0.1, tolerance = 0.05)
                })

# As in TwoSampleMR, pairs are keyed by id.exposure and id.outcome: rows sharing them are one
# pair whatever their trait names.
two_ids <- rbind(d, transform(d, exposure = "Another trait", SNP = paste0(SNP, "b")))
expect_accepted("mr", "two exposure names under one id.exposure", mr(two_ids, method_list = "mr_ivw"),
                function(res, conds) {
                  expect_identical(nrow(res), 1L)
                  expect_identical(res$nsnp, 24L)
                })

# ---- the estimators' vector interface --------------------------------------------------------

bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
vector_funs <- c("mr_ivw", "mr_ivw_fe", "mr_ivw_mre", "mr_egger_regression", "mr_egger_regression_bootstrap",
                 "mr_weighted_median", "mr_simple_median", "mr_penalised_weighted_median",
                 "mr_weighted_mode", "mr_simple_mode", "mr_two_sample_ml", "mr_raps", "mr_uwr",
                 "mr_grip", "mr_ivw_dl", "mr_conmix", "mr_divw", "mr_pivw", "mr_lasso",
                 "mr_ivw_radial", "mr_wald_ratio", "mr_ivw_robust", "mr_egger_robust", "mr_sign")
small <- default_parameters(nboot = 50)
for (f in vector_funs) {
  local({
    fn <- getExportedValue("mrkit", f)
    call_f <- function(...) fn(..., parameters = small)
    expect_bad(f, "lengths differ", call_f(bx, by[-1], sx, sy), "mrkit_error_input_length", c("b_out", "11"))
    expect_bad(f, "b_exp as character", call_f(as.character(bx), by, sx, sy), "mrkit_error_input_type", "b_exp")
    expect_bad(f, "b_exp NULL", call_f(NULL, by, sx, sy), "mrkit_error_input_type", "b_exp")
    expect_bad(f, "Inf in b_out", call_f(bx, replace(by, 1, Inf), sx, sy), "mrkit_error_input_value",
               c("b_out", "finite", "Element 1"))
    if (f != "mr_sign") {
      expect_bad(f, "se_out = 0", call_f(bx, by, sx, replace(sy, 3, 0)), "mrkit_error_se_nonpositive",
                 c("se_out", "SE > 0", "Element 3"))
    }
    expect_accepted(f, "NA in b_exp", call_f(replace(bx, 2, NA), by, sx, sy), function(res, conds) {
      expect_condition_naming(conds, "mrkit_message_rows_dropped", "11 of 12")
      expect_identical(attr(res, "audit")$row, 2L)
    })
    expect_accepted(f, "no variants", call_f(numeric(), numeric(), numeric(), numeric()), function(res, conds) {
      expect_true(is.na(res$b))
    })
  })
}

# ---- files ----------------------------------------------------------------------------------

file_dir <- withr::local_tempdir(.local_envir = teardown_env())
write_bytes <- function(name, lines, eol = "\n", bom = FALSE) {
  path <- file.path(file_dir, name)
  bytes <- charToRaw(paste0(paste(lines, collapse = eol), if (length(lines)) eol else ""))
  writeBin(c(if (bom) as.raw(c(0xef, 0xbb, 0xbf)), bytes), path)
  path
}
hdr <- "SNP\tbeta\tse\teffect_allele\tother_allele\teaf\tpval\tsamplesize"
rows <- c("rs1\t0.10\t0.01\tA\tG\t0.3\t1e-20\t1000",
          "rs2\t-0.05\t0.01\tC\tT\t0.4\t2E-9\t1000",
          "rs3\t0.02\t0.01\tA\tC\t0.1\t0.04\t1000")
good <- write_bytes("good.tsv", c(hdr, rows))
readers <- list(
  read_sumstats = function(p) read_sumstats(p, format = "auto"),
  read_exposure_data = function(p) read_exposure_data(p, sep = "\t", snp_col = "SNP", beta_col = "beta",
                                                      se_col = "se", effect_allele_col = "effect_allele",
                                                      other_allele_col = "other_allele", eaf_col = "eaf",
                                                      pval_col = "pval", samplesize_col = "samplesize")
)
reference <- suppressMessages(readers$read_sumstats(good))

# The fields of tab-separated lines in another order, with an extra column in front.
reorder_fields <- function(lines, order) {
  vapply(seq_along(lines), function(i) {
    x <- strsplit(lines[i], "\t", fixed = TRUE)[[1]]
    paste(c(if (i == 1L) "extra" else "x", x[order]), collapse = "\t")
  }, "")
}

same_rows_as_good <- function(res, conds) {
  expect_identical(res$SNP, c("rs1", "rs2", "rs3"))
  expect_equal(res$beta.exposure, c(0.10, -0.05, 0.02))
  expect_equal(res$pval.exposure, c(1e-20, 2e-9, 0.04))
}

gz <- file.path(file_dir, "big.tsv.gz")
con <- gzfile(gz, "w"); writeLines(c(hdr, rep(rows, 3000)), con); close(con)
gz_bytes <- readBin(gz, "raw", file.size(gz))
truncated_gz <- file.path(file_dir, "truncated.tsv.gz")
writeBin(gz_bytes[seq_len(length(gz_bytes) %/% 2)], truncated_gz)
corrupt_gz <- file.path(file_dir, "corrupt.tsv.gz")
writeBin(replace(gz_bytes, 40:60, as.raw(0xff)), corrupt_gz)

for (f in names(readers)) {
  local({
    rd <- readers[[f]]
    expect_bad(f, "a file that does not exist", rd(file.path(file_dir, "absent.tsv")),
               "mrkit_error_file_not_found", "absent.tsv")
    expect_bad(f, "an empty file", rd(write_bytes("empty.tsv", character())),
               "mrkit_error_file_malformed", c("empty.tsv", "line 1", "no header"))
    expect_accepted(f, "a header only", rd(write_bytes("header.tsv", hdr)), function(res, conds) {
      expect_identical(nrow(res), 0L)
    })
    expect_accepted(f, "the good file", rd(good), same_rows_as_good)
    expect_accepted(f, "CRLF line ends", rd(write_bytes("crlf.tsv", c(hdr, rows), eol = "\r\n")), same_rows_as_good)
    expect_accepted(f, "a UTF-8 byte order mark", rd(write_bytes("bom.tsv", c(hdr, rows), bom = TRUE)), same_rows_as_good)
    expect_accepted(f, "quoted fields",
                    rd(write_bytes("quoted.tsv", c(gsub("([A-Za-z_]+)", "\"\\1\"", hdr), gsub("\t([ACGT])\t", "\t\"\\1\"\t", rows)))),
                    same_rows_as_good)
    expect_accepted(f, "comment lines before the header",
                    rd(write_bytes("comment.tsv", c("# written by hand", "#", hdr, rows))), same_rows_as_good)
    expect_accepted(f, "columns in another order and extra columns",
                    rd(write_bytes("order.tsv", reorder_fields(c(hdr, rows), c(7, 1, 3, 2, 5, 4, 8, 6)))),
                    same_rows_as_good)
    expect_accepted(f, "NA, '.' and empty as missing",
                    rd(write_bytes("missing.tsv", c(hdr, rows, "rs4\tNA\t0.01\tA\tG\t0.3\t1e-9\t1000",
                                                    "rs5\t.\t0.01\tA\tG\t0.3\t1e-9\t1000", "rs6\t\t0.01\tA\tG\t0.3\t1e-9\t1000"))),
                    function(res, conds) {
                      expect_identical(res$SNP[1:3], c("rs1", "rs2", "rs3"))
                      kept <- res$SNP[res$mr_keep.exposure]
                      expect_identical(kept, c("rs1", "rs2", "rs3"))
                      expect_true(all(c("rs4", "rs5", "rs6") %in% attr(res, "audit")$SNP))
                    })
    expect_accepted(f, "a line with too few fields",
                    rd(write_bytes("ragged.tsv", c(hdr, rows[1], "rs2\t0.1\t0.01", rows[3]))), function(res, conds) {
                      expect_identical(res$SNP, c("rs1", "rs3"))
                      expect_condition_naming(conds, "mrkit_warning_read", c("ragged.tsv", "line 3"))
                    })
    expect_bad(f, "a truncated .gz", rd(truncated_gz), "mrkit_error_file_truncated", c("truncated.tsv.gz", "line"))
    expect_bad(f, "a corrupted .gz", rd(corrupt_gz), "mrkit_error_file_truncated", c("corrupt.tsv.gz", "decompression failed", "damaged before the first line"))
  })
}

expect_accepted("read_sumstats", "scientific notation with capital E", reference, function(res, conds) {
  expect_identical(res$pval.exposure[2], 2e-9)
})
expect_bad("read_exposure_data", "a comma-separated file read with sep = tab",
           readers$read_exposure_data(write_bytes("comma.csv", c(gsub("\t", ",", hdr), gsub("\t", ",", rows)))),
           "mrkit_error_missing_column", c("comma.csv", "SNP,beta,se"))
expect_accepted("read_sumstats", "p-values of 0, above 1 and alleles as words or in lower case",
                read_exposure_data(write_bytes("values.tsv", c(hdr, sub("1e-20", "0", rows[1]), sub("2E-9", "1.5", rows[2]),
                                                               sub("\tA\tC\t", "\tadenine\tcytosine\t", rows[3]),
                                                               "rs4\t0.1\t0.01\ta\tg\t0.3\t1e-9\t1000"))),
                function(res, conds) {
                  expect_identical(res$pval.exposure[res$SNP == "rs1"], 1e-200)
                  expect_equal(res$pval.exposure[res$SNP == "rs2"], 2 * pnorm(-5))
                  expect_false(res$mr_keep.exposure[res$SNP == "rs3"])
                  expect_identical(res$effect_allele.exposure[res$SNP == "rs4"], "A")
                  expect_setequal(attr(res, "audit")$SNP, c("rs1", "rs2", "rs3", "rs3"))
                  expect_condition_naming(conds, "mrkit_warning_format", "p-value")
                })

vcf <- c("##fileformat=VCFv4.2", "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tieu-a-7",
         "1\t100\trs1\tG\tA\t.\tPASS\tAF=0.3\tES:SE:LP\t0.1:0.01:20",
         "1\t200\trs2\tT\tC\t.\tPASS\tAF=0.4\tES:LP\t0.1:8",
         "1\t300\trs3\tT\tC\t.\tPASS\t.\tES:SE:LP\t0.1:0.01")
expect_accepted("read_sumstats", "a GWAS-VCF with missing FORMAT fields", read_sumstats(write_bytes("x.vcf", vcf)),
                function(res, conds) {
                  expect_identical(res$SNP, c("rs1", "rs2", "rs3"))
                  expect_true(is.na(res$se.exposure[2]))
                  expect_false(res$mr_keep.exposure[2])
                })

# ---- LD reference panels --------------------------------------------------------------------

panel_dir <- withr::local_tempdir(.local_envir = teardown_env())
dd <- simulate_mr_data(nsnp = 10, seed = 1)
short <- copy_example_panel(file.path(panel_dir))
bed <- readBin(paste0(short, ".bed"), "raw", file.size(paste0(short, ".bed")))
writeBin(bed[seq_len(length(bed) - 7L)], paste0(short, ".bed"))
for (f in c("clump_data", "ld_matrix")) {
  local({
    run <- if (f == "clump_data") function(b) clump_data(dd, bfile = b) else function(b) ld_matrix(dd$SNP, bfile = b)
    expect_bad(f, "a .bed shorter than the .bim/.fam imply", run(short), "mrkit_error_panel_format",
               c("panel.bed", "bytes"))
    expect_bad(f, "a missing panel", run(file.path(panel_dir, "none")), "mrkit_error_panel_file", "none.bed")
    expect_bad(f, "bfile = NA", run(NA_character_), "mrkit_error_input_type", "bfile")
  })
}
magic_dir <- file.path(panel_dir, "magic"); dir.create(magic_dir)
bad_magic <- copy_example_panel(magic_dir)
writeBin(replace(readBin(paste0(bad_magic, ".bed"), "raw", 3L), 1:2, as.raw(0)), paste0(bad_magic, ".bed"))
expect_bad("clump_data", "a .bed without PLINK's magic bytes", clump_data(dd, bfile = bad_magic),
           "mrkit_error_panel_format", c("panel.bed", "magic bytes"))

test_that("the bad-input table has at least 150 cases", {
  expect_gte(bad_cases$n, 150L)
})
