# Validation of user input, done once in R before the core is called.

#' Input of the estimators: vectors or a harmonised table, and the rows they use
#'
#' Every estimator with 'TwoSampleMR''s vector signature (`mr_ivw(b_exp, b_out, se_exp,
#' se_out, parameters)` and the others listed by [mr_method_list()], plus [mr_presso()],
#' [mr_median()] and [mr_mode()]) also accepts a harmonised table as its first argument:
#' `mr_ivw(dat)` with `dat` as from [harmonise_data()].
#'
#' @section Rows used:
#' One rule everywhere: a row is used when
#' * its `mr_keep` is `TRUE` (table input; a table without an `mr_keep` column counts every
#'   row as kept; vectors have no `mr_keep`), and
#' * its effects and standard errors (`beta.exposure`, `beta.outcome`, `se.exposure`,
#'   `se.outcome`, or the four vectors) are all present.
#'
#' Used rows must have finite effects and positive standard errors; anything else is a
#' classed error naming the column and row. A table must hold one exposure-outcome pair
#' (`id.exposure`, `id.outcome`): with several, the estimators stop with an error of class
#' `mrkit_error_several_pairs`; subset the table to one pair, or run [mr()] (every pair,
#' several methods) or [run_mr_presso()] (MR-PRESSO per pair).
#'
#' @section Rows not used:
#' When an estimator uses fewer rows than it was given, it says how many and why in one
#' message of class `mrkit_message_rows_dropped`, and the result carries
#' `attr(result, "audit")`: a data frame with one row per row left out and columns
#' `id.exposure`, `id.outcome`, `SNP` (`NA` for vector input), `row` (position in the
#' input) and `reason` (`"mr_keep is FALSE"` or `"missing effect or standard error"`). The
#' attribute is absent when every row was used. [mr()] lists its unused rows in the same
#' way, and [mv_harmonise_data()], [mr_mediation()] and [mr_without_outliers()] record the
#' variants they drop, with their reasons, in their own `audit` attributes.
#'
#' @param b_exp Vector of SNP-exposure effects, aligned to the same effect allele as
#'   `b_out`; or a harmonised table of one exposure-outcome pair, the other three
#'   arguments then omitted (see [mr_input] for the rows used).
#' @param b_out Vector of SNP-outcome effects.
#' @param se_exp,se_out Standard errors of `b_exp` and `b_out` (positive).
#' @name mr_input
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.2, seed = 1)
#' dat$mr_keep[1:2] <- FALSE
#' dat$beta.outcome[3] <- NA
#' res <- mr_ivw(dat)              # one message: 3 of 20 rows not used, and why
#' attr(res, "audit")
#' # The same as the vector signature on the rows used:
#' use <- dat$mr_keep & !is.na(dat$beta.outcome)
#' mr_ivw(dat$beta.exposure[use], dat$beta.outcome[use], dat$se.exposure[use],
#'        dat$se.outcome[use])$b
NULL

# Check the four per-variant inputs of the TwoSampleMR vector signature, or take them from
# a harmonised table passed as `b_exp` (see ?mr_input), and keep the usable rows. With
# `signs_only`, standard errors are neither needed nor checked (placeholders of 1).
# Announces the rows left out once. Returns list(bx, by, sx, sy, keep, n, snp, audit).
check_summary_vectors <- function(b_exp, b_out, se_exp, se_out, call = rlang::caller_env(),
                                  signs_only = FALSE) {
  miss <- c(b_out = missing(b_out), se_exp = missing(se_exp), se_out = missing(se_out))
  if (is.data.frame(b_exp)) {
    given <- vapply(names(miss), function(nm) !miss[[nm]] && !is.null(get(nm)), logical(1))
    if (any(given)) {
      abort_mrkit("input_type", c("Pass either a harmonised table or four vectors, not both.",
                                  x = "{.arg b_exp} is a data frame and {.arg {names(given)[given]}} {?is/are} given too."),
                  call = call)
    }
    inp <- summary_table_input(b_exp, signs_only = signs_only, call = call)
    lab <- c(b_exp = "beta.exposure", b_out = "beta.outcome", se_exp = "se.exposure", se_out = "se.outcome")
    fmt <- function(nm) cli::format_inline("Column {.field {lab[[nm]]}}")
  } else {
    if (signs_only) miss[c("se_exp", "se_out")] <- FALSE
    if (any(miss)) {
      abort_mrkit("missing_argument", c("{.arg {names(miss)[miss]}} {?is/are} missing.",
                                        i = "Pass four vectors, or a harmonised table as the only data argument (see {.topic mrkit::mr_input})."),
                  call = call)
    }
    if (signs_only) {
      se_exp <- rep(1, length(b_exp))
      se_out <- rep(1, length(b_out))
    }
    inp <- list(args = list(b_exp = b_exp, b_out = b_out, se_exp = se_exp, se_out = se_out),
                eligible = NULL, snp = NULL, ids = NULL)
    fmt <- function(nm) cli::format_inline("{.arg {nm}}")
  }
  args <- inp$args
  for (nm in names(args)) {
    x <- args[[nm]]
    if (!(is.numeric(x) || is.logical(x) && all(is.na(x)))) {
      abort_mrkit("input_type", c("{fmt(nm)} must be a numeric vector.",
                                  x = "It is {.cls {class(x)}}."), call = call)
    }
  }
  lens <- lengths(args)
  if (length(unique(lens)) != 1L) {
    abort_mrkit("input_length", c("{.arg b_exp}, {.arg b_out}, {.arg se_exp} and {.arg se_out} must have the same length.",
                                  x = "Lengths are {lens}."), call = call)
  }
  args <- lapply(args, as.double)
  n <- lens[[1]]
  eligible <- inp$eligible %||% rep(TRUE, n)
  what <- if (is.null(inp$snp)) "Element" else "Row"
  for (nm in names(args)) {
    bad <- as.character(which(eligible & (is.infinite(args[[nm]]) | is.nan(args[[nm]]))))
    if (length(bad)) {
      abort_mrkit("input_value", c("{fmt(nm)} must be finite.",
                                   x = "{what}{?s} {bad} {?is/are} not finite."), call = call)
    }
  }
  for (nm in c("se_exp", "se_out")) {
    bad <- as.character(which(eligible & !is.na(args[[nm]]) & args[[nm]] <= 0))
    if (length(bad)) {
      abort_mrkit("se_nonpositive", c("{fmt(nm)} must be positive (rule: SE > 0).",
                                      x = "{what}{?s} {bad} {?is/are} zero or negative."), call = call)
    }
  }
  complete <- stats::complete.cases(args$b_exp, args$b_out, args$se_exp, args$se_out)
  keep <- eligible & complete
  reason <- ifelse(!eligible, "mr_keep is FALSE", ifelse(!complete, "missing effect or standard error", NA))
  audit <- rows_audit(which(!keep), reason[!keep], inp$snp, inp$ids)
  announce_dropped(audit, n, call_label(call))
  list(bx = args$b_exp[keep], by = args$b_out[keep], sx = args$se_exp[keep],
       sy = args$se_out[keep], keep = keep, n = n, snp = inp$snp, audit = audit)
}

# The four columns of a harmonised table of one exposure-outcome pair, and which rows
# mr_keep allows.
summary_table_input <- function(dat, signs_only = FALSE, call = rlang::caller_env()) {
  cols <- c("beta.exposure", "beta.outcome", if (!signs_only) c("se.exposure", "se.outcome"))
  check_columns(dat, cols, call = call)
  dat <- as.data.frame(dat)
  check_one_pair(dat, call = call)
  n <- nrow(dat)
  eligible <- if ("mr_keep" %in% names(dat)) !is.na(dat$mr_keep) & as.logical(dat$mr_keep) else rep(TRUE, n)
  se <- function(col) if (signs_only) rep(1, n) else dat[[col]]
  list(args = list(b_exp = dat$beta.exposure, b_out = dat$beta.outcome, se_exp = se("se.exposure"),
                   se_out = se("se.outcome")),
       eligible = eligible,
       snp = if ("SNP" %in% names(dat)) as.character(dat$SNP) else rep(NA_character_, n),
       ids = list(id.exposure = pair_id(dat, "id.exposure"), id.outcome = pair_id(dat, "id.outcome")))
}

pair_id <- function(dat, col) {
  if (col %in% names(dat) && nrow(dat) > 0L) as.character(dat[[col]][1]) else NA_character_
}

# A table given to a single-pair estimator must hold one exposure-outcome pair.
check_one_pair <- function(dat, call = rlang::caller_env()) {
  if (!all(c("id.exposure", "id.outcome") %in% names(dat))) return(invisible(dat))
  pairs <- unique(data.frame(id.exposure = as.character(dat$id.exposure),
                             id.outcome = as.character(dat$id.outcome)))
  if (nrow(pairs) > 1L) {
    shown <- utils::head(paste(pairs$id.exposure, "on", pairs$id.outcome), 5)
    abort_mrkit("several_pairs", c("This estimator fits one exposure-outcome pair; the table holds {nrow(pairs)}.",
                                   x = "Pairs: {.val {shown}}{if (nrow(pairs) > 5) ', ...' else ''}.",
                                   i = "Subset the table to one pair, or use {.fn mr} (every pair) or {.fn run_mr_presso} (MR-PRESSO per pair)."),
                call = call)
  }
  invisible(dat)
}

# The rows an estimator uses of a harmonised table (see ?mr_input), with the rows left out
# announced once and recorded in attr(result, "audit").
usable_rows <- function(dat, call = rlang::caller_env()) {
  if (!is.data.frame(dat)) {
    abort_mrkit("input_type", "{.arg dat} must be a data frame, not {.cls {class(dat)}}.", call = call)
  }
  v <- check_summary_vectors(dat, call = call)
  with_audit(dat[v$keep, , drop = FALSE], v$audit)
}

# One audit row per input row not used.
rows_audit <- function(rows, reason, snp = NULL, ids = NULL) {
  data.frame(id.exposure = rep(ids$id.exposure %||% NA_character_, length(rows)),
             id.outcome = rep(ids$id.outcome %||% NA_character_, length(rows)),
             SNP = if (is.null(snp)) rep(NA_character_, length(rows)) else as.character(snp[rows]),
             row = as.integer(rows), reason = as.character(reason), stringsAsFactors = FALSE)
}

# Attach the audit of rows left out; nothing when every row was used.
with_audit <- function(x, audit) {
  if (!is.null(audit) && nrow(audit) > 0L) attr(x, "audit") <- audit
  x
}

# One message saying how many of `n` rows `what` left out and why (counts by reason).
announce_dropped <- function(audit, n, what, unit = "row", where = "attr(result, \"audit\")") {
  if (is.null(audit) || nrow(audit) == 0L) return(invisible(FALSE))
  counts <- table(factor(audit$reason, levels = unique(audit$reason)))
  why <- paste0(names(counts), " (", as.integer(counts), ")", collapse = "; ")
  k <- nrow(audit)
  units <- if (n == 1) unit else paste0(unit, "s")
  snps <- unique(audit$SNP[!is.na(audit$SNP)])
  named <- if (length(snps)) {
    c(x = paste0("Left out: ", paste(utils::head(snps, 10L), collapse = ", "),
                 if (length(snps) > 10L) paste0(", and ", length(snps) - 10L, " more"), "."))
  }
  cli::cli_inform(c("{what} used {n - k} of {n} {units}; left out {k}: {why}.", named,
                    i = "See {.code {where}}."),
                  class = c("mrkit_message_rows_dropped", "mrkit_message"))
  invisible(TRUE)
}

# "mr_ivw()" for the frame of a call to mr_ivw(), for messages.
call_label <- function(call) {
  name <- tryCatch(rlang::call_name(rlang::frame_call(call)), error = function(e) NULL)
  if (is.null(name)) "The estimator" else paste0(name, "()")
}
# Check that a data frame has the named columns.
check_columns <- function(dat, cols, what = "dat", call = rlang::caller_env()) {
  if (!is.data.frame(dat)) {
    abort_mrkit("input_type", "{.arg {what}} must be a data frame, not {.cls {class(dat)}}.", call = call)
  }
  missing <- setdiff(cols, names(dat))
  if (length(missing)) {
    abort_mrkit("missing_column", c("{.arg {what}} lacks required column{?s} {.field {missing}}.",
                                    i = "Harmonised data from {.fn harmonise_data} has them."), call = call)
  }
  invisible(dat)
}

check_threads <- function(threads, call = rlang::caller_env()) {
  if (!is.numeric(threads) || length(threads) != 1L || is.na(threads) || threads < 1) {
    abort_mrkit("parameter", "{.arg threads} must be a single number >= 1.", call = call)
  }
  threads <- as.integer(threads)
  limit <- suppressWarnings(as.integer(Sys.getenv("OMP_THREAD_LIMIT", "")))
  if (!is.na(limit) && limit >= 1L) threads <- min(threads, limit)
  if (nzchar(Sys.getenv("_R_CHECK_LIMIT_CORES_", ""))) threads <- min(threads, 2L)
  threads
}
