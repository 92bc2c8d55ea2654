#' Read exposure or outcome data from a text file
#'
#' Reads a delimited text file (plain or gzip-compressed) with a header row and formats
#' it with [format_data()], as `TwoSampleMR::read_exposure_data()` and
#' `read_outcome_data()` do. The result has `data_source.exposure` (or `.outcome`) set
#' to `"textfile"` and keeps the `audit` attribute of [format_data()].
#'
#' The file is streamed by the C++ reader of [read_sumstats()], so every file that
#' [read_sumstats()] reads is read here too: a file in 'TwoSampleMR''s layout is read with
#' the column names given here (columns named but absent from the file are ignored, as in
#' [format_data()]); when the column arguments are left at their defaults and the header
#' is that of another format (GWAS-SSF, FinnGen, GWAS-VCF, PLINK 2, REGENIE, SAIGE,
#' BOLT-LMM, METAL), that format's preset is used (see [read_sumstats()], section
#' Formats). For outcomes only the rows of `snps` are kept while reading. Lines with a
#' different number of fields from the header are skipped with a warning
#' (`mrkit_warning_read`).
#'
#' A file without a phenotype (or id) column gets its file name without extensions as
#' trait name (and id), for example `"bmi"` for `bmi.tsv.gz`.
#'
#' `sep = NULL` (the default) detects the separator from the header line: tab, else
#' comma, else any run of white space. `sep = " "` ('TwoSampleMR''s default) splits on any
#' run of white space; any other value is used as the exact field separator (for example
#' `","` or `"\t"`).
#'
#' LD clumping while reading (`clump = TRUE` in 'TwoSampleMR') needs an LD reference
#' panel and is not offered here: read the data, then clump it in a separate step.
#'
#' @param filename Path to the file (`.gz` files are decompressed on the fly).
#' @param clump Must be `FALSE`; see Details.
#' @param sep Field separator, or `NULL` to detect it from the header.
#' @param snps For outcome data: optional SNPs to keep.
#' @param positions For outcome data: optional positions of `snps` (see
#'   [read_sumstats()]); with a tabix/CSI index next to a bgzipped `filename`, only the
#'   blocks holding them are read.
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
read_exposure_data <- function(filename, clump = FALSE, sep = NULL, phenotype_col = "Phenotype",
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
read_outcome_data <- function(filename, snps = NULL, sep = NULL, phenotype_col = "Phenotype",
                              snp_col = "SNP", beta_col = "beta", se_col = "se",
                              eaf_col = "eaf", effect_allele_col = "effect_allele",
                              other_allele_col = "other_allele", pval_col = "pval",
                              units_col = "units", ncase_col = "ncase",
                              ncontrol_col = "ncontrol", samplesize_col = "samplesize",
                              gene_col = "gene", id_col = "id", min_pval = 1e-200,
                              log_pval = FALSE, chr_col = "chr", pos_col = "pos",
                              z_col = "z", info_col = "info", positions = NULL) {
  read_and_format(filename, sep, "outcome", snps, environment(), positions = positions)
}

# Read a file and format it through the streaming reader of read_sumstats(): with the
# 'TwoSampleMR' layout and the column arguments taken from the caller's frame, or, when
# those are all at their defaults and the header is that of another format, with that
# format's preset. Columns named but absent from the file are ignored, as format_data()
# ignores them.
read_and_format <- function(filename, sep, type, snps, env, positions = NULL, call = rlang::caller_env()) {
  if (!is.null(sep) && (!is.character(sep) || length(sep) != 1L || is.na(sep) || nchar(sep) > 1L)) {
    abort_mrkit("parameter", "{.arg sep} must be a single character or NULL.", call = call)
  }
  arg_names <- c("phenotype_col", "snp_col", "beta_col", "se_col", "eaf_col",
                 "effect_allele_col", "other_allele_col", "pval_col", "units_col",
                 "ncase_col", "ncontrol_col", "samplesize_col", "gene_col", "id_col",
                 "min_pval", "z_col", "info_col", "chr_col", "pos_col", "log_pval")
  a <- mget(arg_names, envir = env)
  for (nm in grep("_col$", names(a), value = TRUE)) {
    if (!is.character(a[[nm]]) || length(a[[nm]]) != 1L || is.na(a[[nm]])) {
      abort_mrkit("parameter", "{.arg {nm}} must be a single column name.", call = call)
    }
  }
  read_args <- list(format = "twosamplemr", type = type, pval_threshold = NULL, snps = snps,
                    phenotype = NULL, id = NULL, min_pval = a$min_pval, verbose = FALSE,
                    sep = sep, max_malformed = 100, strict_columns = FALSE,
                    snps_format = snps, file_arg = "filename", keep_report = FALSE,
                    positions = positions, call = call)
  defaults <- formals(read_exposure_data)
  at_defaults <- all(vapply(setdiff(arg_names, "min_pval"),
                            function(nm) identical(a[[nm]], defaults[[nm]]), logical(1)))
  other <- if (at_defaults) sumstats_file_format(filename, sep, file_arg = "filename", call = call)
  if (!is.null(other)) {
    return(do.call(read_sumstats_impl, c(list(filename, columns = NULL), utils::modifyList(read_args, list(format = other)))))
  }
  columns <- c(phenotype = a$phenotype_col, snp = a$snp_col, beta = a$beta_col,
               se = a$se_col, eaf = a$eaf_col, effect_allele = a$effect_allele_col,
               other_allele = a$other_allele_col, pval = a$pval_col, units = a$units_col,
               ncase = a$ncase_col, ncontrol = a$ncontrol_col, n = a$samplesize_col,
               gene = a$gene_col, id = a$id_col, z = a$z_col, info = a$info_col,
               chr = a$chr_col, pos = a$pos_col)
  if (isTRUE(a$log_pval)) names(columns)[names(columns) == "pval"] <- "log10p"
  do.call(read_sumstats_impl, c(list(filename, columns = columns), read_args))
}

# The format of a summary-statistics file other than 'TwoSampleMR''s layout, detected
# from its header, or NULL (TwoSampleMR layout, or not recognised: then the TwoSampleMR
# reader reports what is missing).
sumstats_file_format <- function(file, sep, file_arg = "file", call = rlang::caller_env()) {
  if (!is.character(file) || length(file) != 1L || is.na(file) || !file.exists(file)) return(NULL)
  h <- cpp_sumstats_header(path.expand(file), if (is.null(sep)) "" else if (sep == "") " " else sep)
  if (!is.null(h$error)) return(NULL)
  fmt <- tryCatch(detect_sumstats_format(h$fields, file), mrkit_error = function(e) NA_character_)
  if (is.na(fmt) || fmt == "twosamplemr") NULL else fmt
}
