#' Read exposure or outcome data from a text file
#'
#' Reads a delimited text file (plain or gzip-compressed) with a header row and formats
#' it with [format_data()], as `TwoSampleMR::read_exposure_data()` and
#' `read_outcome_data()` do. The result has `data_source.exposure` (or `.outcome`) set
#' to `"textfile"` and keeps the `audit` attribute of [format_data()].
#'
#' The file is streamed by the C++ reader of [read_sumstats()] (format
#' `"twosamplemr"` with the column names given here); only the named columns are read,
#' and for outcomes only the rows of `snps` are kept while reading. Columns named here
#' but absent from the file are ignored, as in [format_data()]. Lines with a different
#' number of fields from the header are skipped with a warning (`mrkit_warning_read`).
#'
#' `sep = " "` (the default) splits on any run of white space; any other value is used
#' as the exact field separator (for example `","` or `"\t"`).
#'
#' LD clumping while reading (`clump = TRUE` in 'TwoSampleMR') needs an LD reference
#' panel and is not offered here: read the data, then clump it in a separate step.
#'
#' @param filename Path to the file (`.gz` files are decompressed on the fly).
#' @param clump Must be `FALSE`; see Details.
#' @param sep Field separator.
#' @param snps For outcome data: optional SNPs to keep.
#' @inheritParams format_data
#' @return A data frame as from [format_data()], with `data_source.<type> = "textfile"`.
#' @export
#' @examples
#' f <- tempfile(fileext = ".txt")
#' raw <- data.frame(SNP = c("rs1", "rs2"), beta = c(0.1, -0.2), se = c(0.01, 0.02),
#'                   effect_allele = c("A", "G"), other_allele = c("G", "T"),
#'                   eaf = c(0.2, 0.6), pval = c(1e-8, 1e-9), Phenotype = "Trait",
#'                   id = "trait1")
#' utils::write.table(raw, f, row.names = FALSE, quote = FALSE)
#' read_exposure_data(f)
#' unlink(f)
read_exposure_data <- function(filename, clump = FALSE, sep = " ", phenotype_col = "Phenotype",
                               snp_col = "SNP", beta_col = "beta", se_col = "se",
                               eaf_col = "eaf", effect_allele_col = "effect_allele",
                               other_allele_col = "other_allele", pval_col = "pval",
                               units_col = "units", ncase_col = "ncase",
                               ncontrol_col = "ncontrol", samplesize_col = "samplesize",
                               gene_col = "gene", id_col = "id", min_pval = 1e-200,
                               log_pval = FALSE, chr_col = "chr", pos_col = "pos",
                               z_col = "z", info_col = "info") {
  if (!identical(clump, FALSE)) {
    abort_mrkit("unsupported",
                c("{.arg clump} must be {.code FALSE}: clumping while reading is not offered.",
                  i = "Read the data first, then clump it against an LD reference panel in a separate step."))
  }
  read_and_format(filename, sep, "exposure", NULL, environment())
}

#' @rdname read_exposure_data
#' @export
read_outcome_data <- function(filename, snps = NULL, sep = " ", phenotype_col = "Phenotype",
                              snp_col = "SNP", beta_col = "beta", se_col = "se",
                              eaf_col = "eaf", effect_allele_col = "effect_allele",
                              other_allele_col = "other_allele", pval_col = "pval",
                              units_col = "units", ncase_col = "ncase",
                              ncontrol_col = "ncontrol", samplesize_col = "samplesize",
                              gene_col = "gene", id_col = "id", min_pval = 1e-200,
                              log_pval = FALSE, chr_col = "chr", pos_col = "pos",
                              z_col = "z", info_col = "info") {
  read_and_format(filename, sep, "outcome", snps, environment())
}

# Read a file and format it through the streaming reader of read_sumstats() with the
# 'TwoSampleMR' layout; the column arguments are taken from the caller's frame. Columns
# named but absent from the file are ignored, as format_data() ignores them.
read_and_format <- function(filename, sep, type, snps, env, call = rlang::caller_env()) {
  if (!is.character(sep) || length(sep) != 1L || is.na(sep) || nchar(sep) > 1L) {
    abort_mrkit("parameter", "{.arg sep} must be a single character.", call = call)
  }
  a <- mget(c("phenotype_col", "snp_col", "beta_col", "se_col", "eaf_col",
              "effect_allele_col", "other_allele_col", "pval_col", "units_col",
              "ncase_col", "ncontrol_col", "samplesize_col", "gene_col", "id_col",
              "min_pval", "z_col", "info_col", "chr_col", "pos_col", "log_pval"), envir = env)
  for (nm in grep("_col$", names(a), value = TRUE)) {
    if (!is.character(a[[nm]]) || length(a[[nm]]) != 1L || is.na(a[[nm]])) {
      abort_mrkit("parameter", "{.arg {nm}} must be a single column name.", call = call)
    }
  }
  columns <- c(phenotype = a$phenotype_col, snp = a$snp_col, beta = a$beta_col,
               se = a$se_col, eaf = a$eaf_col, effect_allele = a$effect_allele_col,
               other_allele = a$other_allele_col, pval = a$pval_col, units = a$units_col,
               ncase = a$ncase_col, ncontrol = a$ncontrol_col, n = a$samplesize_col,
               gene = a$gene_col, id = a$id_col, z = a$z_col, info = a$info_col,
               chr = a$chr_col, pos = a$pos_col)
  if (isTRUE(a$log_pval)) names(columns)[names(columns) == "pval"] <- "log10p"
  read_sumstats_impl(filename, format = "twosamplemr", type = type, pval_threshold = NULL,
                     snps = snps, columns = columns, phenotype = NULL, id = NULL,
                     min_pval = a$min_pval, verbose = FALSE, sep = sep, max_malformed = 100,
                     strict_columns = FALSE, snps_format = snps, file_arg = "filename",
                     keep_report = FALSE,
                     call = call)
}
