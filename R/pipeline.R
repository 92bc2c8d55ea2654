#' Two-sample MR from GWAS files in one call
#'
#' Runs the whole instrument pipeline locally: reads the exposure GWAS keeping variants
#' with p below `pval_threshold` ([read_sumstats()]), clumps them on the reference panel
#' `bfile` ([clump_data()]), reads the outcome GWAS keeping only the instruments and the
#' panel variants near them, looks the instruments up with LD proxies
#' ([extract_outcome_data()]), harmonises alleles ([harmonise_data()]), and estimates the
#' causal effect ([mr()]) with heterogeneity, pleiotropy and Steiger directionality
#' analyses. Every step's counts are reported, and every variant lost on the way is listed
#' with its step and reason.
#'
#' OpenGWAS ids (such as `"ieu-a-2"`) are resolved as [extract_instruments()] and
#' [extract_outcome_data()] resolve them: the dataset's GWAS-VCF file
#' `gwas_dir/<id>/<id>.vcf.gz` when it is on disk, else the OpenGWAS server. Where each
#' dataset came from is in the element `provenance` (and the attribute `provenance` of
#' `harmonised`). Progress over the steps is reported through 'progressr' when the user
#' has enabled it (`progressr::with_progress()` or `progressr::handlers(global = TRUE)`).
#'
#' @param exposure,outcome Paths of GWAS summary-statistics files (any format
#'   [read_sumstats()] reads), OpenGWAS ids, or tables already in [format_data()] layout.
#' @param bfile Path prefix of a PLINK 1 reference panel (.bed/.bim/.fam), used for
#'   clumping and proxies (default `getOption("mrkit.bfile")`, for example set to
#'   [ld_reference()]).
#' @param exposure_format,outcome_format Formats passed to [read_sumstats()].
#' @param exposure_name,outcome_name Trait names (default: the file names without
#'   extensions, such as `"bmi"` for `"bmi.tsv.gz"`, or the OpenGWAS ids).
#' @param gwas_dir Directory of downloaded OpenGWAS GWAS-VCF files (default
#'   `getOption("mrkit.gwas_dir")`), searched first for OpenGWAS ids.
#' @param access_token OpenGWAS token for ids read from the server (see
#'   [available_outcomes()]).
#' @param pval_threshold Instrument selection threshold.
#' @param clump Clump the instruments (needs `bfile`).
#' @param clump_kb,clump_r2 Clumping window and r^2 threshold.
#' @param proxies Replace instruments missing from the outcome by LD proxies (needs `bfile`).
#' @param rsq,proxy_window_kb Minimum proxy r^2 and search window.
#' @param action Harmonisation strictness (see [harmonise_data()]).
#' @param method_list,parameters Passed to [mr()].
#' @param threads Number of threads.
#' @return An object of class `mrkit_pipeline`: a list with `exposure` (selected
#'   instruments), `outcome` (their outcome rows), `harmonised`, `results` ([mr()]),
#'   `heterogeneity`, `pleiotropy`, `directionality`, `steps` (one row per step with the
#'   number of variants in and out), `audit` (every variant lost, with step and reason)
#'   and `provenance` (one row per input dataset with its `role`, source and location).
#' @export
#' @examples
#' dir <- tempfile()
#' dir.create(dir)
#' panel <- simulate_ld_panel(300, 1200, block_size = 40, prefix = file.path(dir, "panel"), seed = 1)
#' sim <- simulate_gwas_files(panel, file.path(dir, "exp.tsv.gz"), file.path(dir, "out.tsv.gz"),
#'                            b = 0.3, n_causal = 12, drop_from_outcome = 2, seed = 2)
#' set.seed(1)
#' res <- mr_pipeline(sim$exposure_file, sim$outcome_file, bfile = panel$bfile)
#' res
#' unlink(dir, recursive = TRUE)
mr_pipeline <- function(exposure, outcome, bfile = getOption("mrkit.bfile"), exposure_format = "auto",
                        outcome_format = "auto", exposure_name = NULL, outcome_name = NULL,
                        pval_threshold = 5e-8, clump = TRUE, clump_kb = 10000, clump_r2 = 0.001,
                        proxies = TRUE, rsq = 0.8, proxy_window_kb = 5000, action = 2,
                        method_list = NULL, parameters = default_parameters(),
                        threads = getOption("mrkit.threads", 1L),
                        gwas_dir = getOption("mrkit.gwas_dir"), access_token = NULL) {
  call <- rlang::current_env()
  threads <- check_threads(threads, call = call)
  if ((clump || proxies) && is.null(bfile)) {
    abort_mrkit("parameter", c("{.arg bfile} is needed for clumping and LD proxies.",
                               i = "Give a PLINK reference panel, or set {.code clump = FALSE, proxies = FALSE}."),
                call = call)
  }
  steps <- list()
  audit <- list()
  step <- function(name, n_in, n_out, note = "") {
    steps[[length(steps) + 1L]] <<- data.frame(step = name, n_in = n_in, n_out = n_out, note = note,
                                               stringsAsFactors = FALSE)
  }
  lost <- function(snp, name, reason) {
    if (length(snp)) audit[[length(audit) + 1L]] <<- data.frame(SNP = snp, step = name, reason = reason,
                                                                stringsAsFactors = FALSE)
  }

  progress <- design_progressor(5L)

  # 1. Instruments: exposure variants below the p-value threshold.
  exposure_id <- design_is_id(exposure)
  exp <- if (exposure_id) {
    pipeline_read_id(exposure, "exposure", exposure_name, pval_threshold, gwas_dir, access_token)
  } else {
    pipeline_read(exposure, "exposure", exposure_format, exposure_name, pval_threshold, NULL, call,
                  threads = threads)
  }
  prov_exp <- attr(exp, "provenance")
  counts <- attr(exp, "read_report")$counts
  n_read <- if (!is.null(counts)) unname(counts[["lines"]]) else NA_real_
  if (is.data.frame(exposure) || exposure_id) {
    n_read <- nrow(exp)
    exp <- exp[!is.na(exp$pval.exposure) & exp$pval.exposure < pval_threshold, , drop = FALSE]
  }
  step("select instruments", n_read, nrow(exp), sprintf("p < %g", pval_threshold))
  progress(message = "instruments selected")
  if (nrow(exp) == 0L) {
    abort_mrkit("no_instruments", "No exposure variant has p < {pval_threshold}.", call = call)
  }

  # 2. LD clumping on the reference panel.
  if (clump) {
    clumped <- clump_data(exp, clump_kb = clump_kb, clump_r2 = clump_r2, bfile = bfile, threads = threads)
    cr <- attr(clumped, "clump_report")
    gone <- cr[!cr$SNP %in% clumped$SNP, , drop = FALSE]
    lost(gone$SNP, "clump", gone$reason)
    step("clump", nrow(exp), nrow(clumped), sprintf("r2 < %g within %g kb", clump_r2, clump_kb))
    exp <- clumped
  }
  progress(message = "instruments clumped")

  # 3. Outcome rows for the instruments and their possible proxies only (their LD partners:
  # the panel variants within the window with r^2 >= rsq).
  wanted <- exp$SNP
  if (proxies) {
    prefix <- check_bfile(bfile, call = call)
    panel_info(prefix, call = call)
    wanted <- unique(c(wanted, proxy_ld_partners(exp$SNP, prefix, proxy_window_kb, rsq, threads)$SNP))
  }
  if (design_is_id(outcome)) {
    # extract_outcome_data() reads an id's local file for the instruments and their
    # proxies, or asks the server.
    out <- extract_outcome_data(exp$SNP, outcome, proxies = proxies, rsq = rsq, bfile = bfile,
                                proxy_window_kb = proxy_window_kb, threads = threads,
                                gwas_dir = gwas_dir, access_token = access_token)
    if (!is.null(outcome_name) && nrow(out)) out$outcome <- rep(outcome_name, nrow(out))
  } else {
    out_all <- pipeline_read(outcome, "outcome", outcome_format, outcome_name, NULL, wanted, call,
                  threads = threads)
    out <- extract_outcome_data(exp$SNP, out_all, proxies = proxies, rsq = rsq, bfile = bfile,
                                proxy_window_kb = proxy_window_kb, threads = threads)
    attr(out, "provenance") <- attr(out_all, "provenance")
  }
  prov <- harmonise_provenance(prov_exp, attr(out, "provenance"))
  pr <- attr(out, "proxy_report")
  lost(pr$SNP[pr$found == "not found"], "outcome look-up", pr$reason[pr$found == "not found"])
  n_proxy <- sum(pr$found == "proxy")
  step("outcome look-up", nrow(exp), nrow(out), sprintf("%d by LD proxy (r2 >= %g)", n_proxy, rsq))
  if (nrow(out) == 0L) {
    abort_mrkit("no_overlap", "None of the {nrow(exp)} instrument{?s} is in the outcome data.", call = call)
  }
  progress(message = "outcome looked up")

  # 4. Harmonisation.
  dat <- suppressMessages(harmonise_quietly(exp, out, action = action))
  attr(dat, "provenance") <- prov
  ha <- harmonise_audit(dat)
  dropped <- ha[ha$status == "dropped" & ha$SNP %in% out$SNP, , drop = FALSE]
  lost(dropped$SNP, "harmonise", dropped$reason)
  step("harmonise", nrow(out), sum(dat$mr_keep), "variants kept for MR")
  progress(message = "harmonised")

  # 5. Estimation and sensitivity analyses.
  results <- mr(dat, parameters = parameters, method_list = method_list, threads = threads)
  het <- mr_heterogeneity(dat, parameters = parameters, threads = threads)
  pleio <- mr_pleiotropy_test(dat)
  steiger <- tryCatch(suppressMessages(suppressWarnings(directionality_test(dat[dat$mr_keep, , drop = FALSE]))),
                      mrkit_error = function(e) NULL)
  step("mr", sum(dat$mr_keep), max(c(0L, results$nsnp)), sprintf("%d methods", nrow(results)))
  progress(message = "estimated")

  structure(list(exposure = exp, outcome = out, harmonised = dat, results = results,
                 heterogeneity = het, pleiotropy = pleio, directionality = steiger,
                 steps = do.call(rbind, steps),
                 audit = if (length(audit)) do.call(rbind, audit) else
                   data.frame(SNP = character(), step = character(), reason = character()),
                 provenance = prov),
            class = "mrkit_pipeline")
}

# Read one side of the pipeline from a file (filtered while reading) or take a table.
pipeline_read <- function(x, type, format, name, pval_threshold, snps, call, threads = 1L) {
  if (is.data.frame(x)) {
    need <- paste0(c("beta", "se", "effect_allele"), ".", type)
    check_columns(x, c("SNP", need), what = type, call = call)
    return(as.data.frame(x, stringsAsFactors = FALSE))
  }
  if (!is.character(x) || length(x) != 1L) {
    abort_mrkit("input_type", "{.arg {type}} must be a file path or a data frame.", call = call)
  }
  name <- name %||% pipeline_stem(x)
  d <- read_sumstats(x, format = format, type = type, pval_threshold = pval_threshold, snps = snps,
                     phenotype = name, id = name, verbose = FALSE, threads = threads)
  attr(d, "provenance") <- provenance_row(name, "file", normalizePath(x), NA_character_)
  d
}

# A file's name without directory and its extensions of format and compression
# ("data/bmi.tsv.gz", "bmi.vcf.bgz", "bmi.txt" -> "bmi"); other dots stay ("bmi.v2.tsv" ->
# "bmi.v2").
pipeline_stem <- function(file) {
  b <- sub("\\.(gz|bgz|bz2|xz|zip)$", "", basename(file), ignore.case = TRUE)
  b2 <- sub("\\.(tsv|txt|csv|vcf|ssf|tab|sumstats|gwas)$", "", b, ignore.case = TRUE)
  ifelse(nzchar(b2), b2, b)
}

# The exposure data (variants with p < pval_threshold) of an
# OpenGWAS id, resolved as design_read_id() does, named `name` when given.
pipeline_read_id <- function(id, type, name, pval_threshold, gwas_dir, access_token) {
  d <- design_read_id(id, type, list(pval_threshold = pval_threshold,
                                     gwas_dir = gwas_dir, access_token = access_token))
  if (!is.null(name) && nrow(d)) d[[type]] <- rep(name, nrow(d))
  d
}

#' @export
print.mrkit_pipeline <- function(x, ...) {
  cli::cat_line(cli::format_inline("{.cls mrkit_pipeline}: {x$results$exposure[1]} -> {x$results$outcome[1]}"))
  cli::cat_line("Steps:")
  print(x$steps, row.names = FALSE)
  cli::cat_line("Estimates:")
  print(as.data.frame(x$results)[c("method", "nsnp", "b", "se", "pval")], row.names = FALSE, digits = 4)
  if (!is.null(x$directionality) && nrow(x$directionality)) {
    cli::cat_line(cli::format_inline("Steiger: correct causal direction {x$directionality$correct_causal_direction}, p = {signif(x$directionality$steiger_pval, 3)}."))
  }
  if (nrow(x$audit)) cli::cat_line(cli::format_inline("{nrow(x$audit)} variant{?s} lost on the way; see {.code x$audit}."))
  invisible(x)
}
