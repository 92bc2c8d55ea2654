# Validation of user input, done once in R before the core is called.

# Check the four per-variant vectors of the TwoSampleMR vector signature and keep the
# variants with all four values present. Returns list(bx, by, sx, sy, keep).
check_summary_vectors <- function(b_exp, b_out, se_exp, se_out, call = rlang::caller_env()) {
  args <- list(b_exp = b_exp, b_out = b_out, se_exp = se_exp, se_out = se_out)
  for (nm in names(args)) {
    x <- args[[nm]]
    if (!(is.numeric(x) || is.logical(x) && all(is.na(x)))) {
      abort_mrkit("input_type", c("{.arg {nm}} must be a numeric vector.",
                                  x = "It is {.cls {class(x)}}."), call = call)
    }
  }
  lens <- lengths(args)
  if (length(unique(lens)) != 1L) {
    abort_mrkit("input_length", c("{.arg b_exp}, {.arg b_out}, {.arg se_exp} and {.arg se_out} must have the same length.",
                                  x = "Lengths are {lens}."), call = call)
  }
  args <- lapply(args, as.double)
  for (nm in names(args)) {
    bad <- as.character(which(is.infinite(args[[nm]]) | is.nan(args[[nm]])))
    if (length(bad)) {
      abort_mrkit("input_value", c("{.arg {nm}} must be finite.",
                                   x = "Element{?s} {bad} {?is/are} not finite."), call = call)
    }
  }
  for (nm in c("se_exp", "se_out")) {
    bad <- as.character(which(!is.na(args[[nm]]) & args[[nm]] <= 0))
    if (length(bad)) {
      abort_mrkit("se_nonpositive", c("{.arg {nm}} must be positive (rule: SE > 0).",
                                      x = "Element{?s} {bad} {?is/are} zero or negative."), call = call)
    }
  }
  keep <- stats::complete.cases(args$b_exp, args$b_out, args$se_exp, args$se_out)
  list(bx = args$b_exp[keep], by = args$b_out[keep], sx = args$se_exp[keep],
       sy = args$se_out[keep], keep = keep)
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
