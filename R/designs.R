# Study designs beyond one exposure-outcome pair: bidirectional MR and many-to-many scans.

#' Bidirectional Mendelian randomization
#'
#' Runs MR in both directions between traits A and B: forward (A on B: instruments of A
#' looked up in B's GWAS) and reverse (B on A: instruments of B looked up in A's GWAS).
#' On each side instruments are selected from the exposure table by `pval.exposure <
#' pval_threshold`, harmonised with [harmonise_data()] and analysed with [mr()].
#'
#' Clumping: the selected instruments are LD-clumped with [clump_data()] against the
#' reference panel `bfile` (`clump = TRUE`, the default). Without a panel the call stops
#' with an error of class `mrkit_error_bfile_missing` saying how to get one, because
#' MR methods assume independent variants and unclumped GWAS hits are strongly
#' correlated. `clump = FALSE` uses the selected variants as they are (for tables whose
#' variants are already independent, for example instruments clumped before), with one
#' warning (`mrkit_warning_not_clumped`).
#'
#' Each direction carries the Steiger directionality test of its pair
#' (Hemani, Tilling and Davey Smith 2017, PLoS Genetics 13:e1007081,
#' \doi{10.1371/journal.pgen.1007081}) as [directionality_test()] computes it: the
#' variance in exposure and outcome explained by the instruments, compared by Fisher's z
#' test of two independent correlations.
#'
#' OpenGWAS ids (such as `"ieu-a-2"`) are resolved as [extract_instruments()] and
#' [extract_outcome_data()] resolve them: the dataset's GWAS-VCF file
#' `gwas_dir/<id>/<id>.vcf.gz` when it is on disk, else the OpenGWAS server. An exposure
#' id gives its variants with p below `pval_threshold` (clumped here against `bfile`), an
#' outcome id the rows of the instruments. Where each dataset came from is kept in the
#' attribute `provenance` (one row per dataset, with its `role`, exposure or outcome).
#'
#' Progress (one step per direction) is reported through 'progressr' when the user has
#' enabled it (`progressr::with_progress()` or `progressr::handlers(global = TRUE)`).
#'
#' @param exp_a,exp_b Exposure tables of traits A and B in [format_data()] layout (the GWAS
#'   or its top hits), paths read with [read_exposure_data()], or OpenGWAS ids.
#' @param out_a,out_b Outcome tables of A and B in [format_data()] layout, paths read
#'   with [read_outcome_data()], or OpenGWAS ids.
#' @inheritParams mr
#' @param pval_threshold Instruments: variants with `pval.exposure` below this.
#' @param bfile PLINK binary file set (path without extension): the LD reference panel
#'   for clumping (default `getOption("mrkit.bfile")`, for example set to
#'   [ld_reference()]). Required unless `clump = FALSE`.
#' @param gwas_dir Directory of downloaded OpenGWAS GWAS-VCF files (default
#'   `getOption("mrkit.gwas_dir")`), searched first for OpenGWAS ids.
#' @param access_token OpenGWAS token for ids read from the server (see
#'   [available_outcomes()]).
#' @param clump `TRUE` (default): LD-clump the instruments against `bfile`; `FALSE`: use
#'   them unclumped (with a warning).
#' @param clump_kb,clump_r2 Clumping window and r-squared threshold.
#' @param name_a,name_b Optional trait names of A and B: they replace the `exposure` and
#'   `outcome` names of the tables of that trait (for example files read without a
#'   phenotype column, named after the file).
#' @param ... Further arguments to [read_exposure_data()] and [read_outcome_data()] (for
#'   example `sep`) when files are given.
#' @param action Harmonisation strictness, as in [harmonise_data()].
#' @return A data frame of class `mrkit_results`: the rows of [mr()] for both directions
#'   with a column `direction` (`"forward"`, `"reverse"`) first, followed by the Steiger
#'   columns `snp_r2.exposure, snp_r2.outcome, correct_causal_direction, steiger_pval`.
#'   Attribute `harmonised`: the harmonised data of each direction; attribute
#'   `provenance` when some input came from OpenGWAS.
#' @export
#' @examples
#' a <- simulate_mr_data(nsnp = 30, b = 0.3, output = "separate", seed = 1,
#'                       id_exposure = "A", id_outcome = "B", exposure = "A", outcome = "B")
#' b <- simulate_mr_data(nsnp = 30, b = 0, output = "separate", seed = 2,
#'                       id_exposure = "B", id_outcome = "A", exposure = "B", outcome = "A")
#' # The simulated instruments are independent by construction, so no clumping:
#' mr_bidirectional(a$exposure, b$exposure, b$outcome, a$outcome,
#'                  method_list = c("mr_egger_regression", "mr_ivw"), clump = FALSE)
mr_bidirectional <- function(exp_a, exp_b, out_a, out_b, method_list = NULL,
                             parameters = default_parameters(), pval_threshold = 5e-8,
                             bfile = getOption("mrkit.bfile"), clump = TRUE, clump_kb = 10000,
                             clump_r2 = 0.001, action = 2, threads = getOption("mrkit.threads", 1L),
                             name_a = NULL, name_b = NULL, gwas_dir = getOption("mrkit.gwas_dir"),
                             access_token = NULL, ...) {
  call <- rlang::current_env()
  parameters <- check_parameters(parameters, call = call)
  design_check_threshold(pval_threshold, call = call)
  bfile <- design_check_clump(clump, bfile, call = call)
  for (nm in c("name_a", "name_b")) design_check_names(get(nm), 1L, nm, call = call)
  sides <- list(forward = list(exp = exp_a, out = out_b, ename = "exp_a", oname = "out_b",
                               exp_name = name_a, out_name = name_b),
                reverse = list(exp = exp_b, out = out_a, ename = "exp_b", oname = "out_a",
                               exp_name = name_b, out_name = name_a))
  opengwas <- list(pval_threshold = pval_threshold, gwas_dir = gwas_dir, access_token = access_token)
  res <- list(); harm <- list()
  p <- design_progressor(2L)
  for (dir in names(sides)) {
    s <- sides[[dir]]
    ex <- design_trait_table(s$exp, "exposure", s$ename, ..., opengwas = opengwas, call = call)
    if (!is.null(s$exp_name)) ex$exposure <- rep(s$exp_name, nrow(ex))
    inst <- design_select_instruments(ex, pval_threshold, bfile, clump_kb, clump_r2, call = call)
    if (nrow(inst) == 0L) {
      abort_mrkit("no_instruments", c("No variant of {.arg {s$ename}} has {.field pval.exposure} < {pval_threshold}.",
                                      i = "The {dir} direction has no instruments."), call = call)
    }
    ou <- design_trait_table(s$out, "outcome", s$oname, ...,
                             opengwas = c(opengwas, list(snps = inst$SNP)), call = call)
    if (!is.null(s$out_name)) ou$outcome <- rep(s$out_name, nrow(ou))
    h <- suppressMessages(harmonise_quietly(inst, ou[ou$SNP %in% inst$SNP, , drop = FALSE], action = action))
    attr(h, "provenance") <- harmonise_provenance(attr(ex, "provenance"), attr(ou, "provenance"))
    r <- mr(h, parameters = parameters, method_list = method_list, threads = threads)
    st <- design_steiger(h)
    r <- design_merge_steiger(as.data.frame(r), st)
    res[[dir]] <- cbind(direction = dir, r, stringsAsFactors = FALSE)
    harm[[dir]] <- h
    p(message = sprintf("%s direction", dir))
  }
  out <- design_bind(res)
  rownames(out) <- NULL
  out <- new_mrkit_results(out, parameters = parameters)
  attr(out, "harmonised") <- harm
  prov <- lapply(harm, attr, "provenance")
  if (!all(vapply(prov, is.null, logical(1)))) attr(out, "provenance") <- unique(bind_provenance(prov[[1]], prov[[2]]))
  out
}

#' Many exposures against many outcomes
#'
#' Runs every exposure against every outcome in one call, as studies of panels of traits
#' do (731 immune-cell traits against 5 micronutrients; 41 cytokines against a disease).
#' For each exposure: instruments are selected (`pval.exposure < pval_threshold`, then
#' LD-clumped against `bfile` unless `clump = FALSE`, see [mr_bidirectional()]), looked up in every outcome and
#' harmonised ([harmonise_data()]), then [mr()] runs `method_list` on all its pairs and,
#' with `sensitivity = TRUE`, [mr_heterogeneity()], [mr_pleiotropy_test()] and [mr_fstat()]
#' add heterogeneity, the MR-Egger intercept and instrument strength.
#'
#' Exposures are processed in parallel through the 'future' framework when
#' 'future.apply' is installed: choose the back end with `future::plan()` (for example
#' `plan(multisession, workers = 4)`, `plan(cluster, workers = ...)` or a batchtools plan);
#' without 'future.apply' the exposures run one after another. Each exposure runs under
#' its own seed, drawn beforehand from R's RNG, so `set.seed()` reproduces the scan and
#' the results do not depend on the plan or the number of workers. Progress is reported
#' through 'progressr' when installed (wrap the call in `progressr::with_progress()` or set
#' `progressr::handlers(global = TRUE)`).
#'
#' @param exposures Exposure data in [format_data()] layout: a data frame (several
#'   `id.exposure` allowed), a list of data frames, or paths of files in any format that
#'   [read_sumstats()] reads (read with [read_exposure_data()]), or OpenGWAS ids (resolved
#'   as in [mr_bidirectional()]: a local GWAS-VCF file under `gwas_dir` first, else the
#'   server).
#' @param outcomes Outcome data likewise (files read with [read_outcome_data()]; ids
#'   looked up for the candidate instruments only). Inputs from OpenGWAS leave their
#'   `provenance` attribute on the result.
#' @param exposure_names,outcome_names Optional trait names, one per exposure (outcome)
#'   in the order given (or named by `id.exposure` / `id.outcome`); they replace the
#'   `exposure` (`outcome`) column.
#' @inheritParams mr_bidirectional
#' @param sensitivity Add heterogeneity, MR-Egger intercept and instrument-strength rows.
#' @return A data frame of class `c("mrkit_scan", "mrkit_results", "data.frame")` with
#'   columns `id.exposure, id.outcome, exposure, outcome, analysis, method, nsnp, b, se,
#'   pval, lo_ci, up_ci, Q, Q_df, Q_pval, I2, mean_F, min_F, median_F, isq_gx` (plus
#'   `nboot, seed` for resampling methods). `analysis` is `"mr"` (the rows of [mr()]),
#'   `"heterogeneity"` (Q statistics per method), `"pleiotropy"` (the MR-Egger intercept
#'   in `b, se, pval`) or `"instrument_strength"` (F-statistics and I²_GX). Attribute
#'   `audit`: exposures and pairs that gave no result, with the reason.
#' @export
#' @examples
#' # Three simulated exposures, each with its own independent instruments, against one
#' # outcome; the simulated instruments are independent by construction, so no clumping.
#' sims <- lapply(1:3, function(i) {
#'   simulate_mr_data(nsnp = 20, b = c(0.3, 0, -0.2)[i], output = "separate", seed = i,
#'                    id_exposure = paste0("exp", i), exposure = paste("Exposure", i),
#'                    id_outcome = "out1")
#' })
#' exposures <- lapply(seq_along(sims), function(i) {
#'   transform(sims[[i]]$exposure, SNP = paste0(SNP, "_", i))
#' })
#' outcome <- do.call(rbind, lapply(seq_along(sims), function(i) {
#'   transform(sims[[i]]$outcome, SNP = paste0(SNP, "_", i))
#' }))
#' set.seed(1)
#' res <- mr_scan(exposures, outcome, method_list = c("mr_egger_regression", "mr_ivw"),
#'                clump = FALSE)
#' res
#' mr_adjust(res[res$analysis == "mr", ], by = c("id.outcome", "method"))[, c("b", "pval", "pval_bh")]
mr_scan <- function(exposures, outcomes, method_list = NULL, parameters = default_parameters(),
                    pval_threshold = 5e-8, sensitivity = TRUE, bfile = getOption("mrkit.bfile"),
                    clump = TRUE, clump_kb = 10000, clump_r2 = 0.001, action = 2,
                    exposure_names = NULL, outcome_names = NULL,
                    gwas_dir = getOption("mrkit.gwas_dir"), access_token = NULL, ...) {
  call <- rlang::current_env()
  parameters <- check_parameters(parameters, call = call)
  design_check_threshold(pval_threshold, call = call)
  bfile <- design_check_clump(clump, bfile, call = call)
  if (is.null(method_list)) {
    tab <- mr_method_list()
    method_list <- tab$obj[tab$use_by_default]
  }
  lookup_methods(method_list, call = call)
  check_action(action, call = call)
  opengwas <- list(pval_threshold = pval_threshold, gwas_dir = gwas_dir, access_token = access_token)
  exp_list <- design_trait_list(exposures, "exposure", "exposures", ..., opengwas = opengwas, call = call)
  exp_list <- design_set_names(exp_list, exposure_names, "exposure", "exposure_names", call = call)
  inst <- lapply(exp_list, function(e) {
    e[!is.na(e$pval.exposure) & e$pval.exposure < pval_threshold, , drop = FALSE]
  })
  # Outcomes given by OpenGWAS id are looked up for the candidate instruments only.
  opengwas$snps <- unique(unlist(lapply(inst, function(e) as.character(e$SNP))))
  out_list <- design_trait_list(outcomes, "outcome", "outcomes", ..., opengwas = opengwas, call = call)
  out_list <- design_set_names(out_list, outcome_names, "outcome", "outcome_names", call = call)
  out_all <- design_bind(out_list)
  n_inst <- vapply(inst, nrow, 1L)
  audit <- data.frame(id.exposure = names(exp_list)[n_inst == 0L],
                      id.outcome = rep(NA_character_, sum(n_inst == 0L)),
                      reason = rep(sprintf("no variant with pval.exposure < %g", pval_threshold),
                                   sum(n_inst == 0L)), stringsAsFactors = FALSE)
  inst <- inst[n_inst > 0L]
  snps <- unique(unlist(lapply(inst, function(e) e$SNP)))
  out_all <- out_all[out_all$SNP %in% snps, , drop = FALSE]
  seeds <- floor(stats::runif(length(inst)) * 2^31)
  settings <- list(method_list = method_list, parameters = parameters, sensitivity = sensitivity,
                   bfile = bfile, clump_kb = clump_kb, clump_r2 = clump_r2, action = action,
                   out_ids = names(out_list))
  tasks <- lapply(seq_along(inst), function(i) list(exposure = inst[[i]], seed = seeds[i]))
  p <- design_progressor(length(tasks))
  if (requireNamespace("future.apply", quietly = TRUE)) {
    res <- future.apply::future_lapply(tasks, scan_task, outcome = out_all, settings = settings,
                                       progress = p, future.seed = TRUE, future.packages = "mrkit")
  } else {
    res <- lapply(tasks, scan_task, outcome = out_all, settings = settings, progress = p)
  }
  out <- design_bind(lapply(res, `[[`, "table"))
  out <- out[intersect(scan_columns(), names(out))]
  audit <- rbind(audit, do.call(rbind, lapply(res, `[[`, "audit")))
  rownames(out) <- NULL
  rownames(audit) <- NULL
  if (sensitivity) {
    weak <- out$analysis == "instrument_strength" & !is.na(out$mean_F) & out$mean_F < 10
    if (any(weak)) {
      warn_mrkit("weak_instruments",
                 c("Weak instruments: mean F-statistic below 10 for {sum(weak)} pair{?s}.",
                   i = "See the rows with {.code analysis == \"instrument_strength\"}."))
    }
  }
  out <- new_mrkit_results(out, parameters = parameters, audit = audit, class = "mrkit_scan")
  prov <- harmonise_provenance(design_list_provenance(exp_list), design_list_provenance(out_list))
  if (!is.null(prov)) attr(out, "provenance") <- prov
  out
}

# The provenance tables of a list of trait tables, bound (NULL when none has one).
design_list_provenance <- function(tabs) {
  prov <- lapply(unname(tabs), attr, "provenance")
  prov <- do.call(bind_provenance, prov)
  if (is.null(prov)) return(NULL)
  prov <- unique(prov[setdiff(names(prov), "retrieved")])
  rownames(prov) <- NULL
  prov
}

# One exposure against all outcomes; runs on a worker. Returns list(table, audit).
scan_task <- function(task, outcome, settings, progress) {
  on.exit(progress())
  with_task_seed(task$seed)
  s <- settings
  e <- task$exposure
  id_e <- as.character(e$id.exposure[1])
  empty_audit <- data.frame(id.exposure = character(), id.outcome = character(), reason = character(),
                            stringsAsFactors = FALSE)
  e <- design_select_instruments(e, Inf, s$bfile, s$clump_kb, s$clump_r2)
  o <- outcome[outcome$SNP %in% e$SNP, , drop = FALSE]
  missing_out <- setdiff(s$out_ids, unique(as.character(o$id.outcome)))
  audit <- data.frame(id.exposure = rep(id_e, length(missing_out)), id.outcome = missing_out,
                      reason = rep("no instrument found in the outcome data", length(missing_out)),
                      stringsAsFactors = FALSE)
  if (nrow(o) == 0L) return(list(table = NULL, audit = audit))
  # One harmonisation message per exposure would flood the scan; its audit is in the rows.
  h <- suppressMessages(harmonise_quietly(e, o, action = s$action))
  # The scan reports weak instruments once for all pairs (below), not once per mr() call.
  res <- withCallingHandlers(
    suppressMessages(mr(h, parameters = s$parameters, method_list = s$method_list, threads = 1L)),
    mrkit_warning_weak_instruments = function(w) invokeRestart("muffleWarning"))
  res <- as.data.frame(res)
  done <- unique(as.character(res$id.outcome))
  left <- setdiff(unique(as.character(o$id.outcome)), done)
  if (length(left)) {
    audit <- rbind(audit, data.frame(id.exposure = id_e, id.outcome = left,
                                     reason = "no estimate: too few usable variants for the methods", stringsAsFactors = FALSE))
  }
  parts <- list(if (nrow(res)) cbind(analysis = "mr", res, stringsAsFactors = FALSE))
  if (isTRUE(s$sensitivity)) parts <- c(parts, scan_sensitivity(h, s$parameters))
  tab <- design_bind(parts)
  ord <- order(match(tab$id.outcome, s$out_ids), match(tab$analysis, c("mr", "heterogeneity", "pleiotropy", "instrument_strength")))
  list(table = tab[ord, , drop = FALSE], audit = if (nrow(audit)) audit else empty_audit)
}

# Heterogeneity (as mr_heterogeneity()), the MR-Egger intercept (as mr_pleiotropy_test())
# and instrument strength (as mr_fstat()) of every pair of `h`, sharing one split of the
# data into pairs.
scan_sensitivity <- function(h, parameters) {
  prep <- suppressMessages(prepare_pairs(h))
  sizes <- diff(prep$offsets)
  parts <- list()
  ids <- c("id.exposure", "id.outcome", "outcome", "exposure")
  if (length(sizes) == 0L) return(parts)
  ok <- which(sizes >= 2L)
  if (length(ok)) {
    sub <- subset_prep(prep, ok)
    tab <- mr_method_list()
    het <- run_methods_on_pairs(sub, lookup_methods(tab$obj[tab$heterogeneity_test & tab$use_by_default]),
                                parameters, 1L)
    het <- het[!(is.na(het$Q) & is.na(het$Q_df) & is.na(het$Q_pval)), c(ids, "method", "Q", "Q_df", "Q_pval"), drop = FALSE]
    het$I2 <- pmax(0, (het$Q - het$Q_df) / het$Q)
    if (nrow(het)) parts[[length(parts) + 1L]] <- cbind(analysis = "heterogeneity", het, stringsAsFactors = FALSE)
    eg <- run_methods_on_pairs(sub, lookup_methods("mr_egger_regression"), default_parameters(), 1L)
    parts[[length(parts) + 1L]] <- data.frame(analysis = "pleiotropy", eg[ids], method = "MR Egger intercept",
                                              b = eg$b_i, se = eg$se_i, pval = eg$pval_i,
                                              stringsAsFactors = FALSE)
  }
  d <- prep$data
  f <- (d$beta.exposure / d$se.exposure)^2
  pair <- factor(rep(seq_along(sizes), sizes), levels = seq_along(sizes))
  by_pair <- function(x, fn) vapply(split(x, pair), fn, 1, USE.NAMES = FALSE)
  rows <- split(seq_along(pair), pair)
  strength <- new_frame(list(
    nsnp = sizes, mean_F = by_pair(f, mean), min_F = by_pair(f, min), median_F = by_pair(f, stats::median),
    isq_gx = vapply(rows, function(i) Isq(abs(d$beta.exposure[i]), d$se.exposure[i]), 1, USE.NAMES = FALSE)))
  parts[[length(parts) + 1L]] <- cbind(analysis = "instrument_strength", prep$pairs[ids],
                                       method = "F-statistic", strength, stringsAsFactors = FALSE)
  parts
}

scan_columns <- function() {
  c("id.exposure", "id.outcome", "exposure", "outcome", "analysis", "method", "nsnp", "b", "se",
    "pval", "lo_ci", "up_ci", "Q", "Q_df", "Q_pval", "I2", "mean_F", "min_F", "median_F", "isq_gx",
    "nboot", "seed")
}

# Run the rest of the calling function with R's default generator seeded with `seed`, and
# restore the caller's generator and state on exit (so a worker's or the user's RNG is
# left as it was).
with_task_seed <- function(seed, envir = parent.frame()) {
  old_kind <- RNGkind()
  old <- if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
    get(".Random.seed", envir = globalenv(), inherits = FALSE)
  }
  restore <- substitute({
    RNGkind(k[1], k[2], k[3])
    restore_rng(old)
  }, list(k = old_kind, old = old))
  do.call("on.exit", list(restore, add = TRUE), envir = envir)
  set.seed(seed, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
}

# -- inputs ---------------------------------------------------------------------------------

# One table in format_data() layout, from a data frame, a file path or an OpenGWAS id
# (see design_read_id(); `opengwas` holds how ids are looked up).
design_trait_table <- function(x, type, what, ..., opengwas = list(), call = rlang::caller_env()) {
  if (design_is_id(x)) {
    x <- design_read_id(x, type, opengwas, call = call)
  } else if (is.character(x) && length(x) == 1L) {
    x <- if (type == "exposure") read_exposure_data(x, ...) else read_outcome_data(x, ...)
  }
  need <- c("SNP", paste0(c("beta", "se", "id", "effect_allele", "other_allele"), ".", type), type)
  if (type == "exposure") need <- c(need, "pval.exposure")
  check_columns(x, need, what = what, call = call)
  x
}

# An OpenGWAS id, and not the name of an existing file.
design_is_id <- function(x) {
  is.character(x) && length(x) == 1L && !is.na(x) && !file.exists(x) && is_opengwas_id(x)
}

# The data of an OpenGWAS id, resolved as extract_instruments() and
# extract_outcome_data() resolve ids: the GWAS-VCF file gwas_dir/<id>/<id>.vcf.gz when it
# exists, else the OpenGWAS server. Exposures: the variants with p below
# opengwas$pval_threshold (clumped later, by the design); outcomes: the rows of
# opengwas$snps, without proxies (as for tables). The table keeps the `provenance`
# attribute; an id without rows gives an empty table named by the id.
design_read_id <- function(id, type, opengwas, call = rlang::caller_env()) {
  if (type == "exposure") {
    d <- extract_instruments(id, p1 = opengwas$pval_threshold %||% 5e-8, clump = FALSE,
                             access_token = opengwas$access_token, gwas_dir = opengwas$gwas_dir)
  } else {
    d <- extract_outcome_data(opengwas$snps %||% character(), id, proxies = FALSE,
                              access_token = opengwas$access_token, gwas_dir = opengwas$gwas_dir)
    attr(d, "proxy_report") <- NULL
  }
  if (is.null(d) || nrow(d) == 0L) {
    prov <- attr(d, "provenance")
    cols <- c("SNP", paste0(c("beta", "se", "pval", "effect_allele", "other_allele"), ".", type))
    d <- as.data.frame(stats::setNames(rep(list(character()), length(cols)), cols), stringsAsFactors = FALSE)
    for (col in paste0(c("beta.", "se.", "pval."), type)) d[[col]] <- numeric()
    d[[paste0("id.", type)]] <- character()
    d[[type]] <- character()
    attr(d, "provenance") <- prov
    attr(d, "opengwas_id") <- id
  }
  d
}

# A named list (by id) of one-trait tables, from a data frame, a list, file paths or
# OpenGWAS ids. Each table keeps the `provenance` of its source.
design_trait_list <- function(x, type, what, ..., opengwas = list(), call = rlang::caller_env()) {
  items <- if (is.data.frame(x) || (is.character(x) && length(x) == 1L)) list(x) else as.list(x)
  if (length(items) == 0L) abort_mrkit("input_value", "{.arg {what}} is empty.", call = call)
  tabs <- lapply(items, design_trait_table, type = type, what = what, ..., opengwas = opengwas, call = call)
  id <- paste0("id.", type)
  out <- list()
  for (t in tabs) {
    ids <- as.character(t[[id]])
    if (!length(ids) && !is.null(attr(t, "opengwas_id"))) ids <- attr(t, "opengwas_id")
    for (k in unique(ids)) {
      if (!is.null(out[[k]])) {
        abort_mrkit("duplicated_id", c("Each {type} must have its own {.field {id}}.",
                                       x = "{.val {k}} occurs in more than one table of {.arg {what}}."), call = call)
      }
      out[[k]] <- t[ids == k, , drop = FALSE]
      attr(out[[k]], "provenance") <- attr(t, "provenance")
    }
  }
  out
}

# Instruments: rows with pval.exposure below the threshold, LD-clumped against `bfile`
# unless it is NULL (clump = FALSE, checked by design_check_clump()).
design_select_instruments <- function(dat, pval_threshold, bfile, clump_kb, clump_r2, call = rlang::caller_env()) {
  dat <- dat[!is.na(dat$pval.exposure) & dat$pval.exposure < pval_threshold, , drop = FALSE]
  if (is.null(bfile) || nrow(dat) == 0L) return(dat)
  clump_data(dat, clump_kb = clump_kb, clump_r2 = clump_r2, bfile = bfile, threads = 1L)
}

# Clumping is on by default and needs a panel; clump = FALSE is allowed with one warning.
# Returns the panel to clump against, or NULL for no clumping.
design_check_clump <- function(clump, bfile, call = rlang::caller_env()) {
  if (!is.logical(clump) || length(clump) != 1L || is.na(clump)) {
    abort_mrkit("parameter", "{.arg clump} must be TRUE or FALSE.", call = call)
  }
  if (!clump) {
    warn_mrkit("not_clumped",
               c("Instruments are not LD-clumped ({.code clump = FALSE}).",
                 i = "MR methods assume independent variants; correlated variants give overconfident estimates."))
    return(NULL)
  }
  if (is.null(bfile)) {
    abort_mrkit("bfile_missing",
                c("Instruments must be LD-clumped, and clumping needs an LD reference panel: {.arg bfile} is missing.",
                  i = "Give {.code bfile = ld_reference(\"EUR\")} (the 1000 Genomes phase 3 panel of the GWAS population, downloaded once), or the path prefix of any PLINK .bed/.bim/.fam panel.",
                  i = "{.code example_panel()} is a small simulated panel for the examples.",
                  i = "If the variants are already independent (clumped before), use {.code clump = FALSE}."),
                call = call)
  }
  check_bfile(bfile, call = call)
}

design_check_names <- function(x, n, what, call = rlang::caller_env()) {
  if (is.null(x)) return(invisible(NULL))
  if (!is.character(x) || anyNA(x) || any(!nzchar(x)) || (!is.null(n) && length(x) != n)) {
    abort_mrkit("parameter", "{.arg {what}} must be {if (identical(n, 1L)) 'a single non-empty string' else 'non-empty strings'} or NULL.",
                call = call)
  }
  invisible(x)
}

# Trait names for a named (by id) list of one-trait tables: unnamed in list order, or
# named by id.
design_set_names <- function(tabs, names_in, type, what, call = rlang::caller_env()) {
  if (is.null(names_in)) return(tabs)
  design_check_names(names_in, NULL, what, call = call)
  ids <- names(tabs)
  if (is.null(names(names_in))) {
    if (length(names_in) != length(ids)) {
      abort_mrkit("parameter", c("{.arg {what}} must have one name per {type} ({length(ids)}).",
                                 x = "It has {length(names_in)}."), call = call)
    }
    names(names_in) <- ids
  }
  unknown <- setdiff(names(names_in), ids)
  if (length(unknown)) {
    abort_mrkit("parameter", c("{.arg {what}} names unknown {.field id.{type}}{?s} {.val {unknown}}.",
                               i = "Known: {.val {ids}}."), call = call)
  }
  for (k in names(names_in)) tabs[[k]][[type]] <- rep(names_in[[k]], nrow(tabs[[k]]))
  tabs
}

design_check_threshold <- function(p, call = rlang::caller_env()) {
  if (!is.numeric(p) || length(p) != 1L || is.na(p) || p <= 0 || p > 1) {
    abort_mrkit("parameter", "{.arg pval_threshold} must be a single number in (0, 1].", call = call)
  }
}

# A progressr progressor of `steps` steps (a no-op without progressr); it reports only
# when the user has enabled progress handlers (progressr::handlers()).
# The progressor closes when the calling function returns.
design_progressor <- function(steps, envir = parent.frame()) {
  if (requireNamespace("progressr", quietly = TRUE)) return(progressr::progressor(steps = steps, envir = envir))
  function(...) invisible(NULL)
}

# rbind data frames with different columns, filling missing ones with NA.
design_bind <- function(dfs) {
  bind_frames(Filter(function(d) !is.null(d) && nrow(d) > 0L, dfs)) %||% data.frame()
}

# -- Steiger directionality -------------------------------------------------------------------

design_steiger <- function(dat) {
  ns <- asNamespace("mrkit")
  if (exists("directionality_test", envir = ns, inherits = FALSE)) {
    st <- suppressMessages(get("directionality_test", envir = ns)(dat))
    return(as.data.frame(st)[c("id.exposure", "id.outcome", "snp_r2.exposure", "snp_r2.outcome",
                               "correct_causal_direction", "steiger_pval")])
  }
  design_steiger_pairs(dat)
}

# Steiger test per exposure-outcome pair (methods.md 6.2), on all rows of the pair.
design_steiger_pairs <- function(dat) {
  key <- unique(dat[c("id.exposure", "id.outcome")])
  rows <- lapply(seq_len(nrow(key)), function(i) {
    d <- dat[dat$id.exposure == key$id.exposure[i] & dat$id.outcome == key$id.outcome[i], , drop = FALSE]
    rx <- design_steiger_r(d, "exposure"); ry <- design_steiger_r(d, "outcome")
    nx <- mean(design_col(d, "samplesize.exposure"), na.rm = TRUE)
    ny <- mean(design_col(d, "samplesize.outcome"), na.rm = TRUE)
    st <- design_steiger_test(sqrt(sum(rx^2, na.rm = TRUE)), sqrt(sum(ry^2, na.rm = TRUE)), nx, ny)
    data.frame(id.exposure = key$id.exposure[i], id.outcome = key$id.outcome[i],
               snp_r2.exposure = sum(rx^2, na.rm = TRUE), snp_r2.outcome = sum(ry^2, na.rm = TRUE),
               correct_causal_direction = st$correct, steiger_pval = st$pval, stringsAsFactors = FALSE)
  })
  do.call(rbind, rows)
}

design_col <- function(d, col) if (col %in% names(d)) as.double(d[[col]]) else rep(NA_real_, nrow(d))

design_steiger_r <- function(d, type) {
  rcol <- paste0("r.", type)
  if (rcol %in% names(d)) return(abs(as.double(d[[rcol]])))
  design_r_from_pn(design_col(d, paste0("pval.", type)), design_col(d, paste0("samplesize.", type)))
}

# |r| of a variant from its p-value and sample size, as TwoSampleMR's get_r_from_pn():
# F = upper-tail F(1, n - 1) quantile of p, r^2 = F / (n - 2 + F). When that F overflows
# (tiny p) the chi-square(1) quantile on the log scale is used instead; p = 0 gives NA.
design_r_from_pn <- function(p, n) {
  f <- suppressWarnings(stats::qf(p, 1, n - 1, lower.tail = FALSE))
  tiny <- !is.na(p) & p > 0 & !is.finite(f)
  f[tiny] <- stats::qchisq(log(p[tiny]), 1, lower.tail = FALSE, log.p = TRUE)
  f[!is.na(p) & p <= 0] <- NA
  sqrt(f / (n - 2 + f))
}

# Fisher z test of two independent correlations (psych::r.test with r12, r34, n, n2).
design_steiger_test <- function(rx, ry, nx, ny) {
  z <- abs(atanh(rx) - atanh(ry)) / sqrt(1 / (nx - 3) + 1 / (ny - 3))
  list(correct = rx > ry, pval = p_normal_two_sided(z))
}

design_merge_steiger <- function(res, st) {
  key_r <- paste(res$id.exposure, res$id.outcome, sep = "\r")
  key_s <- paste(st$id.exposure, st$id.outcome, sep = "\r")
  m <- match(key_r, key_s)
  for (col in c("snp_r2.exposure", "snp_r2.outcome", "correct_causal_direction", "steiger_pval")) {
    res[[col]] <- st[[col]][m]
  }
  res
}
