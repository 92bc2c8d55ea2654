#' Read GWAS summary statistics from a file
#'
#' Streams a plain or gzip-compressed delimited file through mrkit's C++ reader, looking
#' only at the columns it needs and filtering while it reads (a p-value threshold for
#' exposures, a set of SNPs for outcomes), and returns a 'TwoSampleMR'-style exposure or
#' outcome table cleaned by [format_data()]. Files of many millions of rows are read
#' without ever holding the whole file in memory.
#'
#' @section Formats:
#' `format` names the layout of the file. Each preset maps the format's published
#' column names to mrkit's roles (see `attr(x, "read_report")$mapping` for what was used):
#' * `"gwas_ssf"`: GWAS Catalog summary statistics (GWAS-SSF): `chromosome`,
#'   `base_pair_location`, `effect_allele`, `other_allele`, `beta` or `odds_ratio` (with
#'   `ci_lower`/`ci_upper`), `standard_error`, `effect_allele_frequency`, `p_value` or
#'   `neg_log_10_p_value`, `rsid`/`variant_id`, `n`. Harmonised files with `hm_` columns
#'   (`hm_rsid`, `hm_effect_allele`, `hm_beta`, `hm_odds_ratio`, ...) use the harmonised
#'   alleles and effects.
#' * `"finngen"`: FinnGen releases (`#chrom`, `pos`, `ref`, `alt` (the effect allele),
#'   `rsids`, `nearest_genes`, `pval`, `mlogp`, `beta`, `sebeta`, `af_alt`).
#' * `"gwas_vcf"`: IEU GWAS-VCF; per record the sample column holds `ES:SE:LP:AF:SS:ID`
#'   (effect of ALT, its SE, -log10 p, ALT frequency, sample size). The first sample
#'   column is used unless `columns = c(sample = "name")`; its name becomes the
#'   phenotype and id unless `phenotype`/`id` are given. Multi-allelic records are skipped.
#' * `"plink2"`: PLINK 2 `.glm.linear` / `.glm.logistic(.hybrid)`: effect allele `A1`,
#'   other allele the one of `REF`/`ALT` that is not `A1`, `BETA` or `OR` with
#'   `LOG(OR)_SE` (or `L95`/`U95`), `P` or `LOG10_P`, `A1_FREQ`, `OBS_CT`; only `TEST ==
#'   "ADD"` rows are kept.
#' * `"regenie"`: REGENIE step 2 (`ALLELE1` is the effect allele, `LOG10P`, `A1FREQ`, `N`).
#' * `"saige"`: SAIGE (`Allele2` is the effect allele, `AF_Allele2`, `p.value`, `N`,
#'   `N_case`/`N_ctrl`).
#' * `"bolt"`: BOLT-LMM (`ALLELE1` effect allele, `A1FREQ`, `P_BOLT_LMM`, else
#'   `P_BOLT_LMM_INF`, else `P_LINREG`).
#' * `"metal"`: METAL (`MarkerName`, `Allele1` effect allele, `Freq1`, `Effect`/`StdErr`
#'   or `Zscore` with `Weight`, `P-value`).
#' * `"twosamplemr"`: 'TwoSampleMR''s default names (`SNP`, `beta`, `se`, `eaf`,
#'   `effect_allele`, `other_allele`, `pval`, `samplesize`, `ncase`, `ncontrol`,
#'   `Phenotype`, `id`, `units`, `gene`, `z`, `info`, `chr`, `pos`).
#' * `"auto"`: chosen from the header line by each format's distinctive columns.
#'
#' @section Conversions:
#' * Odds ratios: `beta = log(OR)`; without a standard error it comes from the 95%
#'   confidence interval, `se = (log(upper) - log(lower)) / (2 * qnorm(0.975))` (on the
#'   beta scale for a beta with a CI).
#' * Z with N: when beta or se is missing and `z`, `eaf` and `n` are known,
#'   `se = 1 / sqrt(2 f (1 - f) (n + z^2))` and `beta = z * se`.
#' * `-log10 p` columns give `p = 10^-x`; p = 0 (or below `min_pval`) is raised to
#'   `min_pval` by [format_data()].
#' * Rows without an rsid get the identifier `chr:pos`; of a comma-separated list of
#'   rsids the first is used.
#' * "NA", "", ".", "NaN", "NULL" and "N/A" are missing values; other text in a numeric
#'   column becomes `NA` and is counted as unparsable.
#'
#' @section Filtering and the report:
#' `pval_threshold` keeps rows with `p < pval_threshold` (a missing p-value is inferred
#' from beta and se, as [format_data()] does); `snps` keeps the listed variants (compared
#' in lower case). For PLINK 2 and REGENIE only additive-test rows are kept. Lines with a
#' different number of fields from the header are skipped; more than `max_malformed` of
#' them (or a file in which no line matches the header) is an error naming the line and
#' column. `attr(result, "read_report")` lists the file, format, separator, the column
#' used for each role, the counts of lines read, kept, filtered and skipped by reason,
#' unparsable values by column, and the first problems with their line numbers; with
#' `verbose = TRUE` the same is shown as messages.
#'
#' @param file Path to the file (gzip-compressed or not, recognised by its magic bytes).
#' @param format One of `"auto"`, `"gwas_ssf"`, `"finngen"`, `"gwas_vcf"`, `"plink2"`,
#'   `"regenie"`, `"saige"`, `"bolt"`, `"metal"`, `"twosamplemr"`.
#' @param type `"exposure"` or `"outcome"`: the suffix of the output columns.
#' @param pval_threshold Optional: keep only rows with p-value below this.
#' @param snps Optional character vector: keep only these variants.
#' @param positions Optional data frame giving the position of each of `snps`: a `SNP`
#'   column and chromosome and position columns (`chr`/`pos`, or `chr.exposure`/
#'   `pos.exposure` as in exposure data). When `file` is bgzipped with a tabix (`.tbi`) or
#'   CSI (`.csi`) index next to it (`file.tbi`, as OpenGWAS ships its VCFs) and every SNP
#'   has a position, only the compressed blocks holding those positions are read; the
#'   rows are those of a full read provided the positions are on the file's genome build.
#'   Otherwise (no index, a SNP without position) the whole file is streamed.
#' @param columns Optional named character vector overriding the preset: names are roles
#'   (`snp`, `chr`, `pos`, `effect_allele`, `other_allele`, `beta`, `odds_ratio`,
#'   `ci_lower`, `ci_upper`, `se`, `z`, `pval`, `log10p`, `eaf`, `n` (or `samplesize`),
#'   `ncase`, `ncontrol`, `info`, `phenotype`, `id`, `units`, `gene`, `test`, `ref`,
#'   `alt`, `a1`; for GWAS-VCF also `sample`), values are column names of the file
#'   (`NA` removes a role).
#' @param phenotype Optional phenotype name for every row (else the file's phenotype
#'   column, else the file name without directory and extensions, e.g. `"bmi"` for
#'   `data/bmi.tsv.gz`).
#' @param id Optional id for every row (else the file's id column, else the file name
#'   without directory and extensions, as the phenotype).
#' @param min_pval Smallest allowed p-value.
#' @param verbose Whether to report the column mapping and counts as messages.
#' @param samplesize,ncase,ncontrol Optional single numbers: the sample size, number of
#'   cases and of controls for rows of the file without one (FinnGen files, for example,
#'   carry no N). They fill missing values only; values in the file are kept. With
#'   `ncase` and `ncontrol` but no `samplesize`, the sample size is their sum.
#'   `attr(x, "read_report")$sample_size` lists each filled column, its value and the rows
#'   filled (and the message with `verbose = TRUE` says so). They do not enter the
#'   conversion from Z (below), which needs N in the file.
#' @param threads Threads for reading a gzip-compressed file: with more than one, the file
#'   is decompressed ahead of the parser in another thread (BGZF blocks, as `bgzip` writes
#'   them, and gzip members of up to 4 MiB, as `data.table::fwrite()` writes them; a file
#'   from the `gzip` command is a single member and is read in one thread). The result
#'   does not depend on it.
#' @param ... Further reader options: `sep` (field separator; detected from the header
#'   by default: tab, else comma, else white space) and `max_malformed` (malformed lines
#'   tolerated before the read fails; default 100).
#' @return A data frame as from [format_data()], with `data_source.<type> = "textfile"`
#'   and the attributes `audit` and `read_report`.
#' @export
#' @examples
#' f <- tempfile(fileext = ".tsv.gz")
#' con <- gzfile(f, "w")
#' tab <- function(...) paste(c(...), collapse = "\t")
#' writeLines(c(
#'   tab("chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
#'       "standard_error", "effect_allele_frequency", "p_value", "rsid"),
#'   tab(1, 1000, "A", "G", 0.12, 0.01, 0.3, "2e-30", "rs1"),
#'   tab(1, 2000, "C", "T", 0.01, 0.01, 0.4, 0.31, "rs2"),
#'   tab(2, 3000, "G", "A", -0.08, 0.012, 0.2, "4e-9", "rs3")), con)
#' close(con)
#' x <- read_sumstats(f, pval_threshold = 5e-8, phenotype = "Trait", id = "t1")
#' x
#' attr(x, "read_report")$counts
#' unlink(f)
read_sumstats <- function(file, format = "auto", type = c("exposure", "outcome"),
                          pval_threshold = NULL, snps = NULL, columns = NULL, phenotype = NULL,
                          id = NULL, min_pval = 1e-200, verbose = TRUE, positions = NULL,
                          samplesize = NULL, ncase = NULL, ncontrol = NULL, threads = 1L, ...) {
  type <- match.arg(type)
  threads <- check_threads(threads)
  opts <- list(...)
  bad_opts <- setdiff(names(opts), c("sep", "max_malformed"))
  if (length(opts) && (is.null(names(opts)) || any(!nzchar(names(opts))) || length(bad_opts))) {
    abort_mrkit("parameter", c("Unknown argument{?s} in {.arg ...}: {.arg {bad_opts}}.",
                               i = "Reader options are {.arg sep} and {.arg max_malformed}."))
  }
  read_sumstats_impl(file, format = format, type = type, pval_threshold = pval_threshold,
                     snps = snps, columns = columns, phenotype = phenotype, id = id,
                     min_pval = min_pval, verbose = verbose, sep = opts$sep,
                     max_malformed = if (is.null(opts$max_malformed)) 100 else opts$max_malformed,
                     strict_columns = TRUE, snps_format = if (is.null(snps)) NULL else tolower(snps),
                     keep_report = TRUE, positions = positions,
                     fill_n = list(samplesize = samplesize, ncase = ncase, ncontrol = ncontrol),
                     threads = threads)
}

# The shared path of read_sumstats() and read_exposure_data()/read_outcome_data().
# strict_columns = FALSE ignores `columns` entries that are not in the file (format_data()
# semantics); format_args are passed on to format_data() (log_pval is handled here).
read_sumstats_impl <- function(file, format, type, pval_threshold, snps, columns, phenotype,
                               id, min_pval, verbose, sep, max_malformed, strict_columns,
                               snps_format, file_arg = "file", keep_report = TRUE,
                               positions = NULL, fill_n = list(), threads = 1L,
                               call = rlang::caller_env()) {
  check_sumstats_args(file, format, pval_threshold, snps, columns, phenotype, id, min_pval,
                      verbose, sep, max_malformed, file_arg = file_arg, call = call)
  fill_n <- check_fill_n(fill_n, call = call)
  sep_arg <- if (is.null(sep)) "" else if (sep == "") " " else sep
  h <- cpp_sumstats_header(path.expand(file), sep_arg)
  if (!is.null(h$error)) abort_read_error(h$error, file, call = call)
  if (format == "auto") format <- detect_sumstats_format(h$fields, file, call = call)
  spec <- sumstats_mapping(format, h, columns, strict_columns, file, call = call)

  roles <- c(names(spec$cols), names(spec$vcf_keys))
  if (!is.null(pval_threshold) && !any(c("pval", "log10p") %in% roles) &&
      !(all(c("beta", "se") %in% roles) || "z" %in% roles)) {
    abort_mrkit("missing_column",
                c("{.arg pval_threshold} is given but {.file {file}} has no p-value column and no beta and se.",
                  i = "Header (line {h$line}): {.field {h$fields}}."), call = call)
  }
  cpp_spec <- list(cols = as_cols(spec$cols, h$fields), vcf_keys = spec$vcf_keys,
                   vcf = spec$vcf, vcf_format_col = spec$vcf_format_col,
                   vcf_sample_col = spec$vcf_sample_col, sep = h$sep, header_line = h$line,
                   header = h$fields,
                   pval_threshold = if (is.null(pval_threshold)) NA_real_ else as.numeric(pval_threshold),
                   max_malformed = as.numeric(max_malformed), threads = as.integer(threads))
  # With an index next to the file and a position for every SNP, only the blocks holding
  # those positions are decompressed (R/tabix.R); the same reader then reads them.
  plan <- tabix_plan(file, snps, tabix_positions(positions, call = call))
  indexed <- if (!is.null(plan)) tabix_extract(file, plan, h$line, call = call)
  if (!is.null(indexed)) on.exit(unlink(indexed$path), add = TRUE)
  res <- cpp_read_sumstats(if (is.null(indexed)) path.expand(file) else indexed$path, cpp_spec,
                           if (is.null(snps)) NULL else gsub("[[:space:]]", "", tolower(as.character(snps))))
  if (!is.null(res$error)) abort_read_error(res$error, file, call = call)
  if (!is.null(indexed)) res$compressed <- TRUE

  # A file without phenotype or id column names its trait after itself.
  stem <- file_stem(file)
  if (is.null(phenotype %||% spec$phenotype) && !"phenotype" %in% names(spec$cols)) phenotype <- stem
  if (is.null(id %||% spec$id) && !"id" %in% names(spec$cols)) id <- stem
  raw <- sumstats_raw_table(res$columns, phenotype %||% spec$phenotype, id %||% spec$id,
                            spec$cols, h$fields)
  filled <- sumstats_fill_n(raw, fill_n)
  raw <- filled$raw
  report <- sumstats_report(file, format, h, spec, res)
  report$indexed <- if (!is.null(indexed)) c(indexed$stats, index = plan$index)
  report$sample_size <- filled$report
  if (isTRUE(verbose)) inform_read_report(report)
  warn_read_problems(report)
  fmt <- function() {
    format_data(raw, type = type, snps = snps_format, min_pval = min_pval)
  }
  dat <- tryCatch(fmt(),
                  mrkit_error = function(e) {
                    e$call <- rlang::frame_call(call)
                    stop(e)
                  })
  dat[[paste0("data_source.", type)]] <- rep("textfile", nrow(dat))
  if (keep_report) attr(dat, "read_report") <- report
  dat
}

check_sumstats_args <- function(file, format, pval_threshold, snps, columns, phenotype, id,
                                min_pval, verbose, sep, max_malformed, file_arg, call) {
  if (!is.character(file) || length(file) != 1L || is.na(file)) {
    abort_mrkit("input_type", "{.arg {file_arg}} must be a single file path.", call = call)
  }
  if (!file.exists(file)) {
    abort_mrkit("file_not_found", "File {.file {file}} does not exist.", call = call)
  }
  if (!is.character(format) || length(format) != 1L ||
      !format %in% c("auto", names(sumstats_presets()), "gwas_vcf")) {
    abort_mrkit("parameter", c("{.arg format} must be one of {.val {c('auto', sumstats_formats())}}."),
                call = call)
  }
  if (!is.null(pval_threshold) && (!is.numeric(pval_threshold) || length(pval_threshold) != 1L ||
                                   is.na(pval_threshold) || pval_threshold <= 0)) {
    abort_mrkit("parameter", "{.arg pval_threshold} must be a single positive number or NULL.", call = call)
  }
  if (!is.null(snps) && (!is.character(snps) || length(snps) == 0L)) {
    abort_mrkit("parameter", "{.arg snps} must be a character vector of SNP names or NULL.", call = call)
  }
  if (!is.null(columns) && (!is.character(columns) || is.null(names(columns)) ||
                            any(!nzchar(names(columns))))) {
    abort_mrkit("parameter", "{.arg columns} must be a named character vector (role = column name).",
                call = call)
  }
  bad_roles <- setdiff(names(columns), c(sumstats_roles(), "samplesize", "sample"))
  if (length(bad_roles)) {
    abort_mrkit("parameter", c("Unknown role{?s} in {.arg columns}: {.val {bad_roles}}.",
                               i = "Roles: {.val {sumstats_roles()}}."), call = call)
  }
  for (nm in c("phenotype", "id")) {
    v <- get(nm)
    if (!is.null(v) && (!is.character(v) || length(v) != 1L || is.na(v))) {
      abort_mrkit("parameter", "{.arg {nm}} must be a single string or NULL.", call = call)
    }
  }
  if (!is.numeric(min_pval) || length(min_pval) != 1L || is.na(min_pval) || min_pval < 0) {
    abort_mrkit("parameter", "{.arg min_pval} must be a single number >= 0.", call = call)
  }
  if (!is.logical(verbose) || length(verbose) != 1L || is.na(verbose)) {
    abort_mrkit("parameter", "{.arg verbose} must be TRUE or FALSE.", call = call)
  }
  if (!is.null(sep) && (!is.character(sep) || length(sep) != 1L || is.na(sep) || nchar(sep) > 1L)) {
    abort_mrkit("parameter", "{.arg sep} must be a single character.", call = call)
  }
  if (!is.numeric(max_malformed) || length(max_malformed) != 1L || is.na(max_malformed) ||
      max_malformed < 0) {
    abort_mrkit("parameter", "{.arg max_malformed} must be a single number >= 0.", call = call)
  }
  invisible(TRUE)
}

# samplesize, ncase, ncontrol given by the caller: NULL or one positive number each. With
# ncase and ncontrol but no samplesize, the sample size is their sum.
check_fill_n <- function(fill_n, call = rlang::caller_env()) {
  fill_n <- Filter(Negate(is.null), fill_n)
  for (nm in names(fill_n)) {
    v <- fill_n[[nm]]
    if (!is.numeric(v) || length(v) != 1L || is.na(v) || !is.finite(v) || v <= 0) {
      abort_mrkit("parameter", c("{.arg {nm}} must be a single positive number or NULL.",
                                 i = "It fills the rows of the file without a value."), call = call)
    }
  }
  if (is.null(fill_n$samplesize) && !is.null(fill_n$ncase) && !is.null(fill_n$ncontrol)) {
    fill_n$samplesize <- fill_n$ncase + fill_n$ncontrol
  }
  fill_n
}

# Fill missing sample sizes (a column the file lacks, or its missing values) with the
# caller's numbers; the report lists, per column, the value and the rows filled.
sumstats_fill_n <- function(raw, fill_n) {
  if (!length(fill_n)) return(list(raw = raw, report = NULL))
  n <- nrow(raw)
  rows <- lapply(names(fill_n), function(col) {
    x <- if (col %in% names(raw)) suppressWarnings(as.numeric(raw[[col]])) else rep(NA_real_, n)
    miss <- is.na(x)
    x[miss] <- fill_n[[col]]
    raw[[col]] <<- x
    data.frame(column = col, value = fill_n[[col]], rows_filled = sum(miss),
               rows_from_file = n - sum(miss), stringsAsFactors = FALSE)
  })
  list(raw = raw, report = do.call(rbind, rows))
}

sumstats_formats <- function() {
  c("gwas_ssf", "finngen", "gwas_vcf", "plink2", "regenie", "saige", "bolt", "metal",
    "twosamplemr")
}

# Each preset: role -> candidate column names, first found wins; `required`: roles of
# which one must be found (alternatives in one element).
sumstats_presets <- function() {
  list(
    twosamplemr = list(
      cols = list(snp = "SNP", chr = "chr", pos = "pos", effect_allele = "effect_allele",
                  other_allele = "other_allele", beta = "beta", se = "se", eaf = "eaf",
                  pval = "pval", n = "samplesize", ncase = "ncase", ncontrol = "ncontrol",
                  phenotype = "Phenotype", id = "id", units = "units", gene = "gene",
                  z = "z", info = "info"),
      required = list("snp")),
    gwas_ssf = list(
      cols = list(snp = c("rsid", "variant_id"), chr = "chromosome", pos = "base_pair_location",
                  effect_allele = "effect_allele", other_allele = "other_allele", beta = "beta",
                  odds_ratio = "odds_ratio", ci_lower = "ci_lower", ci_upper = "ci_upper",
                  se = "standard_error", eaf = "effect_allele_frequency", pval = "p_value",
                  log10p = "neg_log_10_p_value", n = "n", info = "info"),
      required = list(c("snp", "chr"), "effect_allele", c("beta", "odds_ratio"))),
    gwas_ssf_hm = list(
      cols = list(snp = c("hm_rsid", "rsid", "hm_variant_id", "variant_id"),
                  chr = c("hm_chrom", "chromosome"), pos = c("hm_pos", "base_pair_location"),
                  effect_allele = "hm_effect_allele", other_allele = "hm_other_allele",
                  beta = "hm_beta", odds_ratio = "hm_odds_ratio", ci_lower = "hm_ci_lower",
                  ci_upper = "hm_ci_upper", se = "standard_error",
                  eaf = "hm_effect_allele_frequency", pval = "p_value",
                  log10p = "neg_log_10_p_value", n = "n", info = "info"),
      required = list(c("snp", "chr"), "effect_allele", c("beta", "odds_ratio"))),
    finngen = list(
      cols = list(snp = "rsids", chr = "#chrom", pos = "pos", other_allele = "ref",
                  effect_allele = "alt", gene = "nearest_genes", pval = "pval",
                  log10p = "mlogp", beta = "beta", se = "sebeta", eaf = "af_alt"),
      required = list(c("snp", "chr"), "effect_allele", "beta")),
    plink2 = list(
      cols = list(snp = "ID", chr = "#CHROM", pos = "POS", ref = "REF", alt = "ALT", a1 = "A1",
                  other_allele = c("OMITTED", "AX"), beta = "BETA", odds_ratio = "OR",
                  se = c("SE", "LOG(OR)_SE"), ci_lower = "L95", ci_upper = "U95",
                  z = c("Z_STAT", "T_STAT"), pval = "P", log10p = "LOG10_P", eaf = "A1_FREQ",
                  n = "OBS_CT", test = "TEST"),
      required = list(c("snp", "chr"), "a1", c("beta", "odds_ratio"))),
    regenie = list(
      cols = list(snp = "ID", chr = "CHROM", pos = "GENPOS", other_allele = "ALLELE0",
                  effect_allele = "ALLELE1", eaf = "A1FREQ", info = "INFO", n = "N",
                  ncase = "N_CASES", ncontrol = "N_CONTROLS", test = "TEST", beta = "BETA",
                  se = "SE", pval = "P", log10p = "LOG10P"),
      required = list(c("snp", "chr"), "effect_allele", "beta")),
    saige = list(
      cols = list(snp = c("rsid", "MarkerID", "SNPID"), chr = "CHR", pos = "POS",
                  other_allele = "Allele1", effect_allele = "Allele2", eaf = "AF_Allele2",
                  info = "imputationInfo", n = "N", ncase = c("N_case", "N.Cases"),
                  ncontrol = c("N_ctrl", "N.Controls"), beta = "BETA", se = "SE",
                  pval = "p.value"),
      required = list(c("snp", "chr"), "effect_allele", "beta")),
    bolt = list(
      cols = list(snp = "SNP", chr = "CHR", pos = "BP", effect_allele = "ALLELE1",
                  other_allele = "ALLELE0", eaf = "A1FREQ", info = "INFO", beta = "BETA",
                  se = "SE", pval = c("P_BOLT_LMM", "P_BOLT_LMM_INF", "P_LINREG")),
      required = list(c("snp", "chr"), "effect_allele", "beta")),
    metal = list(
      cols = list(snp = "MarkerName", effect_allele = "Allele1", other_allele = "Allele2",
                  eaf = "Freq1", beta = "Effect", se = "StdErr", z = "Zscore",
                  n = c("Weight", "N", "TotalSampleSize"), pval = c("P-value", "P.value", "Pvalue")),
      required = list("snp", "effect_allele", c("beta", "z")))
  )
}

# Roles a user may name in `columns` (samplesize is an alias of n).
sumstats_roles <- function() {
  c("snp", "chr", "pos", "effect_allele", "other_allele", "ref", "alt", "a1", "beta",
    "odds_ratio", "ci_lower", "ci_upper", "se", "z", "pval", "log10p", "eaf", "n", "ncase",
    "ncontrol", "info", "phenotype", "id", "units", "gene", "test")
}

# Position of the first candidate found in the header: exact name first, then ignoring
# case and a leading '#'.
match_column <- function(candidates, fields) {
  i <- match(candidates, fields)
  i <- i[!is.na(i)]
  if (length(i)) return(i[1L])
  norm <- function(x) sub("^#", "", tolower(x))
  i <- match(norm(candidates), norm(fields))
  i <- i[!is.na(i)]
  if (length(i)) i[1L] else NA_integer_
}

has_cols <- function(fields, ...) all(!is.na(vapply(c(...), match_column, 1L, fields = fields)))
has_any <- function(fields, ...) any(!is.na(vapply(c(...), match_column, 1L, fields = fields)))

detect_sumstats_format <- function(fields, file, call = rlang::caller_env()) {
  f <- fields
  fmt <- if (length(f) >= 10L && identical(f[1:9], c("#CHROM", "POS", "ID", "REF", "ALT", "QUAL",
                                                    "FILTER", "INFO", "FORMAT"))) {
    "gwas_vcf"
  } else if (has_any(f, "base_pair_location", "hm_effect_allele")) {
    "gwas_ssf"
  } else if (has_cols(f, "rsids", "sebeta") || has_cols(f, "#chrom", "mlogp", "af_alt")) {
    "finngen"
  } else if (has_cols(f, "ALLELE1", "ALLELE0", "BP") &&
             has_any(f, "P_BOLT_LMM", "P_BOLT_LMM_INF", "P_LINREG")) {
    "bolt"
  } else if (has_cols(f, "ALLELE0", "ALLELE1", "GENPOS") && has_any(f, "LOG10P", "P")) {
    "regenie"
  } else if (has_cols(f, "ID", "A1", "POS") && has_any(f, "BETA", "OR") &&
             has_any(f, "REF", "ALT", "OBS_CT")) {
    "plink2"
  } else if (has_cols(f, "Allele1", "Allele2", "p.value")) {
    "saige"
  } else if (has_cols(f, "MarkerName", "Allele1", "Allele2")) {
    "metal"
  } else if ("SNP" %in% f && has_any(f, "beta", "se", "pval", "effect_allele")) {
    "twosamplemr"
  } else {
    NA_character_
  }
  if (is.na(fmt)) {
    shown <- utils::head(fields, 20L)
    abort_mrkit("format_unknown",
                c("Could not recognise the format of {.file {file}} from its header.",
                  i = "Header: {.field {shown}}.",
                  i = "Give {.arg format} (one of {.val {sumstats_formats()}}) or {.arg columns}."),
                call = call)
  }
  fmt
}

# Decide the column of every role. Returns list(cols = named list role -> column name,
# vcf fields, phenotype/id defaults).
sumstats_mapping <- function(format, h, columns, strict_columns, file, call) {
  fields <- h$fields
  out <- list(cols = list(), vcf = FALSE, vcf_keys = character(), vcf_format_col = -1L,
              vcf_sample_col = -1L, phenotype = NULL, id = NULL)
  user <- columns
  if (!is.null(user)) names(user)[names(user) == "samplesize"] <- "n"
  bad_roles <- setdiff(names(user), c(sumstats_roles(), if (format == "gwas_vcf") "sample"))
  if (length(bad_roles)) {
    abort_mrkit("parameter", c("Unknown role{?s} in {.arg columns}: {.val {bad_roles}}.",
                               i = "Roles: {.val {sumstats_roles()}}."), call = call)
  }
  missing_col <- function(role, cands) {
    shown <- utils::head(fields, 30L)
    cli::cli_abort(c("Line {h$line} (the header) of {.file {file}} has no column {.field {cands[1]}} for {role}{if (length(cands) > 1) ' (or any of the alternatives)' else ''}.",
                     i = "Header: {.field {shown}}.",
                     i = "Name the column with {.arg columns}."),
                   class = c("mrkit_error_missing_column", "mrkit_error_read", "mrkit_error"),
                   line = h$line, column = cands[1], call = call)
  }
  if (format == "gwas_vcf") {
    fixed <- c("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT")
    miss <- setdiff(fixed, fields)
    if (length(miss)) missing_col("the GWAS-VCF layout", miss)
    if (length(fields) < 10L) missing_col("the GWAS-VCF sample", "(sample column)")
    sample <- if (!is.null(user) && "sample" %in% names(user)) user[["sample"]] else fields[10L]
    si <- match(sample, fields)
    if (is.na(si) || si < 10L) missing_col("the GWAS-VCF sample", sample)
    out$cols <- list(chr = "#CHROM", pos = "POS", snp = "ID", other_allele = "REF",
                     effect_allele = "ALT", alt = "ALT")
    out$vcf <- TRUE
    # Optional keys (cases, Z) only when the first record's FORMAT has them.
    first_keys <- if (length(h$first_row) >= 9L) strsplit(h$first_row[9L], ":", fixed = TRUE)[[1L]] else character()
    out$vcf_keys <- c(snp = "ID", beta = "ES", se = "SE", log10p = "LP", eaf = "AF", n = "SS",
                      c(ncase = "NC", z = "EZ")[c("NC", "EZ") %in% first_keys])
    out$vcf_format_col <- 8L
    out$vcf_sample_col <- si - 1L
    out$phenotype <- sample
    out$id <- sample
    user <- user[names(user) != "sample"]
  } else {
    presets <- sumstats_presets()
    key <- if (format == "gwas_ssf" && !is.na(match_column("hm_effect_allele", fields))) "gwas_ssf_hm" else format
    preset <- presets[[key]]
    for (role in names(preset$cols)) {
      i <- match_column(preset$cols[[role]], fields)
      if (!is.na(i)) out$cols[[role]] <- fields[i]
    }
  }
  for (role in names(user)) {
    col <- user[[role]]
    if (is.na(col)) {
      out$cols[[role]] <- NULL
      out$vcf_keys <- out$vcf_keys[names(out$vcf_keys) != role]
    } else if (col %in% fields) {
      out$cols[[role]] <- col
      out$vcf_keys <- out$vcf_keys[names(out$vcf_keys) != role]
    } else if (strict_columns) {
      missing_col(paste("role", role), col)
    } else {
      out$cols[[role]] <- NULL
    }
  }
  # TwoSampleMR's readers ignore absent columns, except the SNP column, without which no row
  # can be used (a wrong `sep` shows here, as one header field holding every name).
  if (!strict_columns && "snp" %in% names(user) && is.null(out$cols$snp)) {
    missing_col("role snp", user[["snp"]])
  }
  if (!out$vcf) {
    req <- sumstats_presets()[[if (format == "gwas_ssf" && "hm_effect_allele" %in% fields) "gwas_ssf_hm" else format]]$required
    if (!strict_columns) req <- list()
    for (alts in req) {
      alts2 <- unique(c(alts, if ("effect_allele" %in% alts) "a1", if ("beta" %in% alts) c("odds_ratio", "z")))
      if (!any(alts2 %in% names(out$cols))) {
        cands <- sumstats_presets()[[format]]$cols[[alts[1]]]
        if (is.null(cands)) cands <- alts[1]
        missing_col(paste("role", alts[1]), cands)
      }
    }
  }
  out
}

as_cols <- function(cols, fields) {
  if (!length(cols)) return(stats::setNames(integer(), character()))
  idx <- vapply(cols, function(c) match(c, fields) - 1L, integer(1))
  stats::setNames(as.integer(idx), names(cols))
}

abort_read_error <- function(err, file, call) {
  kind <- err$kind
  loc <- if (err$line > 0) paste0("line ", format(err$line, scientific = FALSE),
                                  if (nzchar(err$column)) paste0(", column '", err$column, "'") else "")
         else ""
  cli::cli_abort(c("Could not read {.file {file}}{if (nzchar(loc)) paste0(' (', loc, ')') else ''}.",
                   x = "{err$message}"),
                 class = c(paste0("mrkit_error_", kind), "mrkit_error_read", "mrkit_error"),
                 line = err$line, column = err$column, call = call)
}

# The columns returned by the reader under format_data()'s default names.
# Columns are put in the order of their source columns in the file (format_data() keeps
# the input order); constant phenotype/id columns go last.
sumstats_raw_table <- function(cols, phenotype, id, roles, fields) {
  names_map <- c(SNP = "SNP", chr = "chr", effect_allele = "effect_allele",
                 other_allele = "other_allele", phenotype = "Phenotype", id = "id",
                 units = "units", gene = "gene", pos = "pos", beta = "beta", se = "se",
                 eaf = "eaf", pval = "pval", samplesize = "samplesize", ncase = "ncase",
                 ncontrol = "ncontrol", z = "z", info = "info")
  n <- if (length(cols)) length(cols[[1L]]) else 0L
  raw <- cols
  names(raw) <- names_map[names(cols)]
  if (!is.null(phenotype)) raw$Phenotype <- rep(phenotype, n)
  if (!is.null(id)) raw$id <- rep(id, n)
  sources <- list(SNP = c("snp", "chr"), effect_allele = c("effect_allele", "a1"),
                  other_allele = c("other_allele", "ref", "alt"),
                  beta = c("beta", "odds_ratio", "z"), se = c("se", "ci_lower", "z"),
                  pval = c("pval", "log10p"), samplesize = "n", Phenotype = "phenotype")
  pos_of <- function(nm) {
    src <- if (nm %in% names(sources)) sources[[nm]] else nm
    if (nm == "Phenotype" && !is.null(phenotype)) return(Inf)
    if (nm == "id" && !is.null(id)) return(Inf)
    i <- match(unlist(roles[intersect(src, names(roles))]), fields)
    if (length(i) && any(!is.na(i))) min(i, na.rm = TRUE) else Inf
  }
  ord <- order(vapply(names(raw), pos_of, numeric(1)))
  raw <- raw[ord]
  attr(raw, "row.names") <- .set_row_names(n)
  class(raw) <- "data.frame"
  raw
}

sumstats_report <- function(file, format, h, spec, res) {
  roles <- names(spec$cols)
  mapping <- data.frame(role = roles, column = unlist(spec$cols, use.names = FALSE),
                        stringsAsFactors = FALSE)
  if (spec$vcf) {
    sample <- h$fields[spec$vcf_sample_col + 1L]
    keys <- spec$vcf_keys[!names(spec$vcf_keys) %in% roles | names(spec$vcf_keys) == "snp"]
    mapping <- mapping[mapping$role != "snp" | !"snp" %in% names(keys), , drop = FALSE]
    mapping <- rbind(mapping, data.frame(role = names(keys), column = paste0(sample, ":", keys),
                                         stringsAsFactors = FALSE))
  }
  cnt <- res$counts
  counts <- c(lines = cnt[["lines"]], kept = cnt[["kept"]],
              filtered_pval = cnt[["filtered_pval"]], filtered_snp = cnt[["filtered_snp"]],
              filtered_test = cnt[["filtered_test"]], skipped_malformed = cnt[["malformed"]],
              skipped_multiallelic = cnt[["multiallelic"]], skipped_blank = cnt[["blank"]],
              skipped_comment = cnt[["comment"]])
  unp <- res$unparsable[res$unparsable > 0]
  problems <- as.data.frame(res$problems, stringsAsFactors = FALSE)
  list(file = file, format = format, compressed = isTRUE(res$compressed),
       separator = switch(h$sep, "\t" = "tab", "," = "comma", " " = "whitespace", h$sep),
       header_line = h$line, mapping = mapping, counts = counts,
       unparsable = unp, problems = problems)
}

inform_read_report <- function(r) {
  sep_txt <- if (r$separator %in% c("tab", "comma", "whitespace")) r$separator else paste0("'", r$separator, "'")
  maps <- paste0(r$mapping$role, " <- ", r$mapping$column)
  c0 <- r$counts
  skipped <- c0[c("skipped_malformed", "skipped_multiallelic", "skipped_blank", "skipped_comment")]
  skipped <- skipped[skipped > 0]
  filtered <- c0[c("filtered_pval", "filtered_snp", "filtered_test")]
  filtered <- filtered[filtered > 0]
  fmt_counts <- function(x) paste0(format(x, big.mark = ",", scientific = FALSE, trim = TRUE),
                                   " ", sub("^(skipped|filtered)_", "", names(x)), collapse = ", ")
  msg <- c("Read {.file {r$file}} as {.val {r$format}} ({if (r$compressed) 'gzip, ' else ''}{sep_txt}-separated; header on line {r$header_line}).",
           i = "Columns: {paste(maps, collapse = ', ')}.",
           i = "{format(c0[['lines']], big.mark = ',', scientific = FALSE)} line(s) after the header: {format(c0[['kept']], big.mark = ',', scientific = FALSE)} kept{if (length(filtered)) paste0(', filtered: ', fmt_counts(filtered)) else ''}{if (length(skipped)) paste0(', skipped: ', fmt_counts(skipped)) else ''}.")
  if (length(r$unparsable)) {
    msg <- c(msg, "!" = "Values that are not numbers (set to NA): {paste0(names(r$unparsable), ' (', r$unparsable, ')', collapse = ', ')}.")
  }
  if (!is.null(r$sample_size)) {
    ss <- r$sample_size
    msg <- c(msg, i = paste0("Sample size given: ", paste0(ss$column, " = ", format(ss$value, scientific = FALSE, trim = TRUE),
                                                        " for ", format(ss$rows_filled, big.mark = ",", trim = TRUE),
                                                        " row(s) without one", collapse = "; "), "."))
  }
  if (nrow(r$problems)) {
    msg <- c(msg, i = "First problem: line {r$problems$line[1]}, column {.field {r$problems$column[1]}}: {r$problems$problem[1]}.")
  }
  cli::cli_inform(msg)
}

# One classed warning when lines were skipped as malformed or values were not numbers:
# data were lost or changed, whatever `verbose` says.
warn_read_problems <- function(r) {
  n_bad <- r$counts[["skipped_malformed"]]
  n_unp <- sum(r$unparsable)
  if (n_bad == 0 && n_unp == 0) return(invisible())
  first <- if (nrow(r$problems)) {
    c(i = "First: line {r$problems$line[1]}, column {.field {r$problems$column[1]}}: {r$problems$problem[1]}.")
  }
  warn_mrkit("read",
             c("{.file {r$file}}: {n_bad} malformed line{?s} skipped, {n_unp} value{?s} that {?is/are} not a number set to NA.",
               first, i = "See {.code attr(x, \"read_report\")$problems} for line numbers."))
}

# A file's name without directory and extensions ("data/bmi.tsv.gz" -> "bmi").
file_stem <- function(file) {
  b <- basename(file)
  b <- sub("\\.(gz|bgz|bz2|xz|zip)$", "", b, ignore.case = TRUE)
  stem <- sub("\\.[^.]*$", "", b)
  if (nzchar(stem)) stem else b
}
