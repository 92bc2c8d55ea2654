# mr_report(): one self-contained HTML report per exposure-outcome pair, or one study
# report for a scan, bidirectional or mediation result, rendered with rmarkdown from the
# templates in inst/report/. This file assembles the numbers; the templates lay them out.

#' Study report of an MR analysis
#'
#' Runs the analysis of each exposure-outcome pair of a harmonised table (as
#' 'TwoSampleMR''s `mr_report()` does) and writes one report per pair: the instruments and
#' their strength (F-statistic, R²), the harmonisation audit (every variant dropped, with
#' its reason), the estimates of every method with 95% confidence intervals and odds
#' ratios, heterogeneity (Cochran's Q, I²), the MR-Egger intercept, the Steiger
#' directionality test, MR-PRESSO and radial outliers, leave-one-out and single-variant
#' analyses, the plots, multiple testing, a STROBE-MR checklist filled from what was run,
#' and what is needed to reproduce it (versions, parameters, seed).
#'
#' Given the result of [mr_scan()], [mr_bidirectional()] or [mr_mediation()] instead, it
#' writes one study report: the summary forest plot, the multiple-testing summary and a
#' section per pair (for a bidirectional result, the full report of each direction is
#' written beside it and linked).
#'
#' HTML reports are single files: plots, styles and scripts are embedded, nothing is
#' loaded from the network, and they open offline. Rendering needs the R packages
#' 'rmarkdown' and 'knitr' and the pandoc program (shipped with RStudio; elsewhere from
#' your system's packages, e.g. `apt-get install pandoc`, or from the pandoc website).
#' Without pandoc, `output_type = "md"` writes plain Markdown with the plots as PNG files
#' beside it.
#'
#' @param dat Harmonised data from [harmonise_data()] (one or more exposure-outcome pairs),
#'   or a result of [mr_scan()], [mr_bidirectional()] or [mr_mediation()].
#' @param output_path Folder to write the reports to (created if needed).
#' @param output_type `"html"` (self-contained HTML, needs pandoc) or `"md"` (Markdown
#'   with PNG plots, no pandoc needed).
#' @param author Author named in the report.
#' @param study Title of the report; by default `"Two Sample MR: <exposure> vs
#'   <outcome>"` (one pair) or `"MR study: ..."` (study reports).
#' @inheritParams mr
#' @param NbDistribution Number of MR-PRESSO simulations. `NULL` (default) chooses, for a
#'   pair of `J` variants, `max(1000, 200 * J)` (at most one million): enough that the
#'   outlier test's Bonferroni-corrected p-values, which move in steps of
#'   `J / NbDistribution`, resolve 0.05 in steps of at most 0.005. A smaller number given
#'   here is used, and when `J / NbDistribution` exceeds 0.05 (the test cannot reach a
#'   corrected p below 0.05 except by an empirical 0) the report and a warning say so.
#' @param family_size Number of tests of the study a pair belongs to, for the Bonferroni
#'   threshold `0.05 / family_size` shown in the report of one pair (default 1).
#' @param seed Seed for every resampling step of the report (bootstrap methods,
#'   MR-PRESSO), recorded in it. `NULL` draws one from R's generator, so `set.seed()`
#'   before `mr_report()` reproduces the report; the caller's generator state is left as
#'   it was either way.
#' @param ... Unused; accepted for compatibility with 'TwoSampleMR''s signature.
#' @return The paths of the reports written, invisibly.
#' @export
#' @examples
#' \donttest{
#' if (requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available()) {
#'   dat <- harmonise_data(example_exposure, example_outcome)
#'   f <- mr_report(dat, output_path = tempdir(), NbDistribution = 500, seed = 1)
#'   f
#' }
#' }
mr_report <- function(dat, output_path = ".", output_type = "html", author = "Analyst",
                      study = NULL, parameters = default_parameters(), method_list = NULL,
                      NbDistribution = NULL, family_size = 1, seed = NULL, ...) {
  call <- rlang::current_env()
  output_type <- report_check_output(output_type, call = call)
  if (!is.character(output_path) || length(output_path) != 1L || is.na(output_path)) {
    abort_mrkit("parameter", c("{.arg output_path} must be a single folder name.",
                               x = "It is {.obj_type_friendly {output_path}}."), call = call)
  }
  if (!is.character(author) || length(author) != 1L) {
    abort_mrkit("parameter", "{.arg author} must be a single string.", call = call)
  }
  if (!is.null(study) && (!is.character(study) || length(study) != 1L)) {
    abort_mrkit("parameter", "{.arg study} must be NULL or a single string.", call = call)
  }
  if (!is.numeric(family_size) || length(family_size) != 1L || is.na(family_size) || family_size < 1) {
    abort_mrkit("parameter", "{.arg family_size} must be a single number >= 1.", call = call)
  }
  if (!is.null(NbDistribution) && (!is.numeric(NbDistribution) || length(NbDistribution) != 1L ||
                                    is.na(NbDistribution) || NbDistribution < 10)) {
    abort_mrkit("parameter", "{.arg NbDistribution} must be NULL or a single number >= 10.", call = call)
  }
  parameters <- check_parameters(parameters, call = call)
  if (is.null(method_list)) {
    tab <- mr_method_list()
    method_list <- tab$obj[tab$use_by_default]
  }
  lookup_methods(method_list, call = call)
  if (is.null(seed)) seed <- floor(stats::runif(1) * 2^31)
  if (!is.numeric(seed) || length(seed) != 1L || is.na(seed)) {
    abort_mrkit("parameter", "{.arg seed} must be NULL or a single number.", call = call)
  }
  dir.create(output_path, showWarnings = FALSE, recursive = TRUE)
  settings <- list(author = author, parameters = parameters, method_list = method_list,
                   NbDistribution = if (!is.null(NbDistribution)) as.integer(NbDistribution),
                   family_size = family_size,
                   seed = seed, output_type = output_type)
  kind <- report_kind(dat)
  if (kind == "pairs") {
    check_columns(dat, c("SNP", "id.exposure", "id.outcome", "exposure", "outcome", "beta.exposure",
                         "beta.outcome", "se.exposure", "se.outcome"), what = "dat", call = call)
    return(invisible(report_pairs(dat, output_path, study, settings)))
  }
  invisible(report_study(dat, kind, output_path, study, settings))
}

# -- one pair ---------------------------------------------------------------------------

report_pairs <- function(dat, output_path, study, settings) {
  dat <- as.data.frame(dat, stringsAsFactors = FALSE)
  audit <- attr(dat, "audit")
  key <- unique(dat[c("id.exposure", "id.outcome")])
  files <- character()
  unusable <- character()
  for (i in seq_len(nrow(key))) {
    rows <- dat$id.exposure == key$id.exposure[i] & dat$id.outcome == key$id.outcome[i]
    d <- dat[rows, , drop = FALSE]
    usable <- d$mr_keep %||% rep(TRUE, nrow(d))
    if (!any(usable %in% TRUE)) {
      unusable <- c(unusable, paste(d$exposure[1], "->", d$outcome[1]))
      next
    }
    if (is.data.frame(audit)) {
      attr(d, "audit") <- audit[audit$id.exposure == key$id.exposure[i] & audit$id.outcome == key$id.outcome[i], , drop = FALSE]
    }
    rep <- report_pair_data(d, settings)
    rep$title <- study %||% paste("Two Sample MR:", rep$exposure, "vs", rep$outcome)
    name <- paste0("mr_report_", report_file_stem(key$id.exposure[i]), "_", report_file_stem(key$id.outcome[i]))
    files[[paste(key$id.exposure[i], key$id.outcome[i], sep = ".")]] <-
      report_render("mr_report.Rmd", rep, output_path, name, settings$output_type)
  }
  if (!length(files)) {
    abort_mrkit("too_few_snps", c("No report written: no exposure-outcome pair has a usable variant.",
                                  x = "{.field mr_keep} is FALSE for all {nrow(dat)} row{?s} of {.arg dat}.",
                                  i = "The harmonisation audit ({.code attr(dat, \"audit\")}) says why each was left out."),
                call = rlang::caller_env())
  }
  if (length(unusable)) {
    cli::cli_inform(c("No report for {length(unusable)} pair{?s} without a usable variant ({.field mr_keep} FALSE for every row): {unusable}.",
                      i = "The harmonisation audit ({.code attr(dat, \"audit\")}) says why each was left out."),
                    class = c("mrkit_message_too_few_snps", "mrkit_message"))
  }
  files
}

# MR-PRESSO simulations for a report on J variants: the outlier test's corrected p-values
# move in steps of J / NbDistribution; 200 * J makes the steps 0.005, a tenth of 0.05.
report_presso_draws <- function(J) as.integer(min(1e6, max(1000, 200 * J)))

# Every number the report of one pair shows, computed once here.
report_pair_data <- function(d, settings) {
  p <- settings$parameters
  with_task_seed(settings$seed)
  quiet <- function(expr) suppressWarnings(suppressMessages(expr))
  keep <- d$mr_keep %||% rep(TRUE, nrow(d))
  keep <- !is.na(keep) & keep
  used <- d[keep, , drop = FALSE]
  rep <- list(exposure = as.character(d$exposure[1]), outcome = as.character(d$outcome[1]),
              id.exposure = as.character(d$id.exposure[1]), id.outcome = as.character(d$id.outcome[1]),
              settings = settings, date = Sys.time(), nsnp = nrow(used))
  rep$binary_outcome <- report_is_binary(d)
  rep$harmonise_audit <- attr(d, "audit")
  rep$not_used <- d[!keep, intersect(c("SNP", "palindromic", "ambiguous", "remove", "mr_keep"), names(d)), drop = FALSE]
  rep$instruments <- report_instruments(used)
  rep$strength <- quiet(mr_fstat(used))
  rep$mr <- quiet(mr(used, parameters = p, method_list = settings$method_list))
  many <- nrow(used) >= 3L
  rep$heterogeneity <- if (nrow(used) >= 2L) quiet(mr_heterogeneity(used, parameters = p))
  rep$pleiotropy <- if (many) quiet(mr_pleiotropy_test(used))
  rep$steiger <- quiet(tryCatch(directionality_test(used), error = function(e) NULL))
  settings$NbDistribution <- settings$NbDistribution %||% report_presso_draws(nrow(used))
  rep$settings <- settings
  rep$fit_presso <- if (nrow(used) >= 4L) report_presso(used, settings$NbDistribution)
  rep$presso <- if (!is.null(rep$fit_presso)) mr_presso_tidy(rep$fit_presso)
  # Bonferroni within the pair, as mr_outliers() flags: the radial plot and the table agree
  rep$radial <- if (nrow(used) >= 2L) {
    quiet(mr_radial_ivw(used$beta.exposure, used$beta.outcome, used$se.exposure, used$se.outcome,
                        parameters = p, alpha = 0.05 / nrow(used), snps = used$SNP))
  }
  rep$outliers <- if (nrow(used) >= 2L) quiet(mr_outliers(used, parameters = p, methods = c("q", "radial")))
  rep$leaveoneout <- if (many) quiet(mr_leaveoneout(used, parameters = p))
  rep$singlesnp <- quiet(mr_singlesnp(used, parameters = p))
  rep$plots <- quiet(report_pair_plots(rep, used))
  rep$strobe <- report_strobe(rep, design = "pair")
  rep$session <- report_session(settings)
  rep
}

# run_mr_presso() on the pair; its warning that the outlier test cannot resolve the threshold
# (too few simulations for the number of variants) is passed on and kept for the report.
report_presso <- function(used, NbDistribution) {
  unstable <- NULL
  fit <- withCallingHandlers(
    suppressMessages(run_mr_presso(used, NbDistribution = NbDistribution)),
    mrkit_warning_presso_unstable = function(w) {
      unstable <<- cli::ansi_strip(conditionMessage(w))
    },
    warning = function(w) if (!inherits(w, "mrkit_warning_presso_unstable")) invokeRestart("muffleWarning"))
  attr(fit, "unstable") <- unstable
  fit
}

report_instruments <- function(used) {
  rsq <- tryCatch(suppressWarnings(suppressMessages(add_rsq(used)))$rsq.exposure,
                  error = function(e) rep(NA_real_, nrow(used)))
  col <- function(nm) if (nm %in% names(used)) used[[nm]] else rep(NA, nrow(used))
  data.frame(SNP = used$SNP, effect_allele = col("effect_allele.exposure"),
             other_allele = col("other_allele.exposure"), eaf = col("eaf.exposure"),
             beta.exposure = used$beta.exposure, se.exposure = used$se.exposure,
             pval.exposure = col("pval.exposure"), beta.outcome = used$beta.outcome,
             se.outcome = used$se.outcome, pval.outcome = col("pval.outcome"),
             F = (used$beta.exposure / used$se.exposure)^2, rsq.exposure = rsq,
             stringsAsFactors = FALSE)
}

report_pair_plots <- function(rep, used) {
  first <- function(x) if (is.list(x) && !inherits(x, "ggplot")) x[[1]] else x
  out <- list(scatter = first(mr_scatter_plot(rep$mr, used, highlight = rep$outliers, labels = "highlighted")),
              forest = first(mr_forest_plot(rep$singlesnp)),
              funnel = first(mr_funnel_plot(rep$singlesnp)),
              density = first(mr_density_plot(rep$singlesnp, rep$mr)))
  if (!is.null(rep$leaveoneout)) out$leaveoneout <- first(mr_leaveoneout_plot(rep$leaveoneout))
  if (!is.null(rep$radial)) out$radial <- mr_radial_plot(rep$radial)
  if (!is.null(rep$presso) && nrow(rep$presso$outliers) > 0L) out$presso <- mr_presso_plot(rep$fit_presso)
  Filter(Negate(is.null), out)
}

# A binary outcome (log odds): odds ratios are shown.
report_is_binary <- function(d) {
  u <- d$units.outcome %||% NA
  any(grepl("log odds", u, ignore.case = TRUE)) ||
    (!is.null(d$ncase.outcome) && any(!is.na(d$ncase.outcome) & d$ncase.outcome > 0))
}

# -- study reports ------------------------------------------------------------------------

report_kind <- function(dat) {
  if (inherits(dat, "mrkit_scan")) return("scan")
  if (inherits(dat, "mrkit_mediation")) return("mediation")
  if (is.data.frame(dat) && "direction" %in% names(dat) && "b" %in% names(dat)) return("bidirectional")
  if (is.data.frame(dat) && all(c("beta.exposure", "beta.outcome") %in% names(dat))) return("pairs")
  abort_mrkit("input_type", c("{.arg dat} must be harmonised data or a result of {.fn mr_scan}, {.fn mr_bidirectional} or {.fn mr_mediation}.",
                              x = "Got {.cls {class(dat)}}."), call = rlang::caller_env(2))
}

report_study <- function(x, kind, output_path, study, settings) {
  settings$parameters <- attr(x, "parameters") %||% settings$parameters
  rep <- list(kind = kind, settings = settings, date = Sys.time())
  df <- as.data.frame(x)
  files <- character()
  if (kind == "scan") {
    res <- df[df$analysis == "mr", , drop = FALSE]
    rep$results <- res
    rep$adjusted <- mr_adjust(res, by = c("id.outcome", "method"))
    rep$family_note <- "Families: each outcome and method (correction over exposures)."
    rep$heterogeneity <- df[df$analysis == "heterogeneity", , drop = FALSE]
    rep$pleiotropy <- df[df$analysis == "pleiotropy", , drop = FALSE]
    rep$strength <- df[df$analysis == "instrument_strength", , drop = FALSE]
    rep$audit <- attr(x, "audit")
    rep$title <- study %||% sprintf("MR study: %d exposures and %d outcomes",
                                    length(unique(res$id.exposure)), length(unique(res$id.outcome)))
    rep$forest <- suppressMessages(mr_forest_summary(res))
    rep$overview <- mr_scan_plot(res)
    n_exp <- length(unique(res$id.exposure))
    rows <- if (nrow(res) > 100) min(50, n_exp) else n_exp
    rep$height_forest <- min(40, 1.5 + 0.12 * rows * length(unique(res$method)))
    rep$height_overview <- min(30, 2 + 0.15 * n_exp)
  } else if (kind == "bidirectional") {
    rep$results <- df
    rep$adjusted <- mr_adjust(df, by = c("direction", "method"))
    rep$family_note <- "Families: each direction and method."
    rep$title <- study %||% sprintf("Bidirectional MR: %s and %s", df$exposure[df$direction == "forward"][1],
                                    df$outcome[df$direction == "forward"][1])
    rep$forest <- mr_bidirectional_plot(df)
    harm <- attr(x, "harmonised")
    for (dir in names(harm)) {
      f <- report_pairs(harm[[dir]], output_path, NULL, settings)
      files <- c(files, stats::setNames(f, paste(dir, names(f))))
    }
    rep$links <- files
  } else {
    rep$results <- df
    rep$steps <- attr(x, "steps")
    rep$diagnostics <- attr(x, "diagnostics")
    rep$adjusted <- NULL
    rep$title <- study %||% sprintf("Mediation MR: %s via %s on %s", df$exposure[1],
                                    paste(unique(stats::na.omit(df$mediator)), collapse = ", "), df$outcome[1])
    rep$forest <- mr_mediation_plot(x)
  }
  rep$height_forest <- rep$height_forest %||% 5
  rep$height_overview <- rep$height_overview %||% 5
  rep$binary_outcome <- FALSE
  rep$strobe <- report_strobe(rep, design = kind)
  rep$session <- report_session(settings)
  name <- paste0("mr_study_report_", kind)
  c(study = report_render("mr_study_report.Rmd", rep, output_path, name, settings$output_type), files)
}

# -- STROBE-MR ------------------------------------------------------------------------------

# The items of the STROBE-MR statement (Skrivankova et al. 2021, JAMA 326:1614-1621) with
# what this report provides for each; items software cannot fill are left to the author.
report_strobe <- function(rep, design) {
  author <- "For the author"
  ran <- function(x) !is.null(x) && (!is.data.frame(x) || nrow(x) > 0L)
  methods_run <- if (!is.null(rep$mr)) paste(unique(rep$mr$method), collapse = ", ") else
    if (!is.null(rep$results$method)) paste(unique(stats::na.omit(rep$results$method)), collapse = ", ") else ""
  checks <- c(
    if (ran(rep$strength)) "relevance: F-statistics and R\u00b2 of the instruments (section Instruments)",
    if (ran(rep$heterogeneity)) "exclusion restriction: Cochran's Q and I\u00b2 (Heterogeneity)",
    if (ran(rep$pleiotropy)) "directional pleiotropy: MR-Egger intercept (Pleiotropy)",
    if (ran(rep$presso) || ran(rep$outliers)) "outlying variants: MR-PRESSO, radial and Q contributions (Outliers)",
    if (ran(rep$steiger)) "direction of effect: Steiger test (Directionality)",
    "independence (no confounding of variants and outcome): not testable from summary data")
  sens <- c(if (nchar(methods_run)) paste("estimators:", methods_run),
            if (ran(rep$leaveoneout)) "leave-one-out", if (ran(rep$singlesnp)) "single-variant (Wald ratio) estimates",
            if (ran(rep$presso)) "MR-PRESSO outlier-corrected estimate",
            if (design == "bidirectional") "reverse-direction MR")
  plots <- if (!is.null(rep$plots)) paste(names(rep$plots), collapse = ", ") else if (!is.null(rep$forest)) "summary forest plot" else ""
  filled <- function(x) if (length(x) && any(nzchar(x))) paste(x[nzchar(x)], collapse = "; ") else author
  data.frame(
    item = c("1", "2", "3", "4a-e", "5", "6a", "6b", "6c", "6d", "6e", "7", "8", "9a", "9b",
             "10a-d", "11a", "11b", "11c", "11d", "12a", "12b", "13a", "13b", "13c", "13d", "13e",
             "14", "15", "16a-c", "17", "18", "19", "20"),
    topic = c("Title and abstract", "Background", "Objectives", "Study design and data sources",
              "Assumptions (relevance, independence, exclusion restriction)",
              "Handling of quantitative variables", "Selection of genetic variants",
              "MR estimators and related statistics", "Missing data", "Multiple testing",
              "Assessment of assumptions", "Sensitivity and additional analyses",
              "Software, versions and settings", "Pre-registration", "Descriptive data",
              "Variant-exposure and variant-outcome associations", "MR estimates on an interpretable scale",
              "Absolute risk", "Plots of the results", "Assessment of the assumptions",
              "Heterogeneity statistics", "Sensitivity analyses", "Other sensitivity or additional analyses",
              "Direction of the causal relationship", "Comparison with non-MR estimates",
              "Additional plots (e.g. leave-one-out)", "Key results", "Limitations", "Interpretation",
              "Generalizability", "Funding", "Data and data availability", "Conflicts of interest"),
    in_report = c(
      author, author, author, author,
      filled(checks[-length(checks)]),
      author,
      if (!is.null(rep$instruments)) sprintf("%d variants used; harmonisation audit lists every variant dropped and why", rep$nsnp) else author,
      filled(if (nchar(methods_run)) paste("methods:", methods_run)),
      if (!is.null(rep$harmonise_audit) || !is.null(rep$audit)) "variants or pairs without data are listed with the reason (Harmonisation audit)" else author,
      if (!is.null(rep$adjusted)) paste("Bonferroni and Benjamini-Hochberg;", rep$family_note) else
        if (design == "pair") sprintf("Bonferroni threshold 0.05 / %g", rep$settings$family_size) else author,
      filled(checks), filled(sens),
      "mrkit, R and package versions, parameters and seed (Reproducibility)", author, author,
      if (!is.null(rep$instruments)) "Instruments table" else author,
      if (rep$binary_outcome) "Estimates with odds ratios and 95% CI" else "Estimates with 95% CI",
      author, filled(plots), filled(checks),
      if (ran(rep$heterogeneity)) "Cochran's Q, I\u00b2 (Heterogeneity)" else author,
      filled(sens), author,
      if (ran(rep$steiger)) "Steiger directionality test" else if (design == "bidirectional") "both directions estimated" else author,
      author,
      if (!is.null(rep$plots$leaveoneout)) "leave-one-out, single-variant forest, funnel plots" else author,
      author, author, author, author, author, author, author),
    stringsAsFactors = FALSE)
}

# -- reproducibility --------------------------------------------------------------------------

report_session <- function(settings) {
  pk <- c("mrkit", "ggplot2", "rmarkdown", "knitr")
  ver <- vapply(pk, function(p) tryCatch(as.character(utils::packageVersion(p)), error = function(e) "not installed"), "")
  pandoc <- if (requireNamespace("rmarkdown", quietly = TRUE) && rmarkdown::pandoc_available()) {
    as.character(rmarkdown::pandoc_version())
  } else "not available"
  par <- settings$parameters
  par_text <- vapply(par, function(v) if (is.null(v)) "NULL" else paste(format(v), collapse = ", "), "")
  list(versions = data.frame(software = c("R", pk, "pandoc"),
                             version = c(paste(R.version$major, R.version$minor, sep = "."), ver, pandoc),
                             stringsAsFactors = FALSE),
       platform = R.version$platform,
       parameters = data.frame(parameter = c(names(par), "method_list", "NbDistribution (MR-PRESSO)", "seed"),
                               value = c(par_text, paste(settings$method_list, collapse = ", "),
                                         settings$NbDistribution %||% "max(1000, 200 * J)",
                                         format(settings$seed, scientific = FALSE)),
                               stringsAsFactors = FALSE))
}

# -- rendering ----------------------------------------------------------------------------

report_check_output <- function(output_type, call) {
  if (!is.character(output_type) || length(output_type) != 1L || !output_type %in% c("html", "md")) {
    got <- if (is.character(output_type) && length(output_type) == 1L) "It is {.val {output_type}}." else
      "It is {.obj_type_friendly {output_type}}."
    abort_mrkit("parameter", c("{.arg output_type} must be {.val html} or {.val md}.", x = got), call = call)
  }
  for (pkg in c("rmarkdown", "knitr")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      abort_mrkit("missing_package", c("{.fn mr_report} needs the {.pkg {pkg}} package.",
                                       i = "Install it with {.code install.packages(\"{pkg}\")}."), call = call)
    }
  }
  if (output_type == "html" && !rmarkdown::pandoc_available("1.12.3")) {
    abort_mrkit("pandoc_missing", c(
      "HTML reports need pandoc, which was not found.",
      i = "RStudio ships pandoc: run {.fn mr_report} from RStudio, or install pandoc from your system's packages (e.g. {.code apt-get install pandoc}, {.code brew install pandoc}) or from the pandoc website.",
      i = "Or write plain Markdown without pandoc: {.code mr_report(dat, output_type = \"md\")}."), call = call)
  }
  output_type
}

report_file_stem <- function(x) gsub("[^A-Za-z0-9._-]+", "_", as.character(x))

# Render `template` (in inst/report/) with the report data `rep` to output_path/name.html
# (or .md with its figures in name_files/).
report_render <- function(template, rep, output_path, name, output_type) {
  src <- system.file("report", template, package = "mrkit", mustWork = TRUE)
  work <- tempfile("mrkit_report_")
  dir.create(work)
  on.exit(unlink(work, recursive = TRUE), add = TRUE)
  rmd <- file.path(work, paste0(name, ".Rmd"))
  file.copy(src, rmd)
  file.copy(system.file("report", "report.css", package = "mrkit"), work)
  env <- new.env(parent = asNamespace("mrkit"))
  env$rep <- rep
  output_path <- normalizePath(output_path, mustWork = TRUE)
  if (output_type == "html") {
    fmt <- rmarkdown::html_document(self_contained = TRUE, mathjax = NULL, toc = TRUE, toc_depth = 2,
                                    theme = "default", css = "report.css", df_print = "default")
    out <- rmarkdown::render(rmd, output_format = fmt, output_dir = output_path, intermediates_dir = work,
                             envir = env, quiet = TRUE)
    return(out)
  }
  old <- knitr::opts_knit$get("base.dir")
  knitr::opts_knit$set(base.dir = output_path)
  on.exit(knitr::opts_knit$set(base.dir = old), add = TRUE)
  knitr::opts_chunk$set(fig.path = paste0(name, "_files/"))
  on.exit(knitr::opts_chunk$restore(), add = TRUE)
  out <- file.path(output_path, paste0(name, ".md"))
  knitr::knit(rmd, output = out, envir = env, quiet = TRUE)
  out
}

# Tables as the reports print them: p-values by format_pvalue(), other numbers with
# `digits` significant digits.
report_table <- function(x, digits = 3) {
  if (is.null(x) || !is.data.frame(x) || nrow(x) == 0L) return("*None.*")
  x <- plain_table(x)
  for (nm in names(x)) {
    v <- x[[nm]]
    if (is.numeric(v) && grepl("(^|_|\\.)p(val)?($|_|\\.)|pval|^P$", nm)) {
      x[[nm]] <- format_pvalue(v)
    } else if (is.double(v) && all(is.na(v) | (v == round(v) & abs(v) < 1e15))) {
      x[[nm]] <- ifelse(is.na(v), "", format(v, scientific = FALSE, trim = TRUE))
    } else if (is.double(v)) {
      x[[nm]] <- ifelse(is.na(v), "", formatC(signif(v, digits), digits = digits, format = "fg"))
    } else if (is.logical(v)) {
      x[[nm]] <- ifelse(is.na(v), "", ifelse(v, "yes", "no"))
    } else if (is.character(v)) {
      x[[nm]] <- ifelse(is.na(v), "", if (nm == "method") paper_method_names(v) else v)
    }
  }
  knitr::kable(x, format = "pipe", row.names = FALSE)
}

# Estimates as papers print them, with odds ratios for binary outcomes.
report_estimates <- function(res, binary) {
  tab <- format_mr_table(res, exponentiate = FALSE, digits = 3)
  if (binary) tab[["OR (95% CI)"]] <- format_mr_table(res, exponentiate = TRUE, digits = 2)[["OR (95% CI)"]]
  tab[c("exposure", "outcome")] <- NULL
  tab
}
