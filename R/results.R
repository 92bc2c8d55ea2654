# The result class of mr() and the other TwoSampleMR-style verbs: a data.frame with a class
# in front, so code that treats it as a data.frame keeps working.

new_mrkit_results <- function(x, parameters = NULL, audit = NULL, class = character()) {
  stopifnot(is.data.frame(x))
  attr(x, "parameters") <- parameters
  attr(x, "audit") <- audit
  class(x) <- unique(c(class, "mrkit_results", "data.frame"))
  x
}

#' @export
print.mrkit_results <- function(x, digits = 4, ...) {
  n_pairs <- if (all(c("id.exposure", "id.outcome") %in% names(x))) {
    nrow(unique(as.data.frame(x)[c("id.exposure", "id.outcome")]))
  } else NA
  cli::cat_line(cli::format_inline("{.cls mrkit_results}: {nrow(x)} row{?s}",
                                   if (!is.na(n_pairs)) ", {n_pairs} exposure-outcome pair{?s}" else ""))
  df <- as.data.frame(x)
  attr(df, "parameters") <- attr(df, "audit") <- NULL
  print(df, digits = digits, ...)
  p <- attr(x, "parameters")
  if (!is.null(p) && "nboot" %in% names(df) && any(!is.na(df$nboot))) {
    cli::cat_line(cli::format_inline("Bootstrap: nboot = {p$nboot}; seeds in column {.field seed}."))
  }
  if (!is.null(p) && !identical(p$convention, "TwoSampleMR")) {
    cli::cat_line(cli::format_inline("Convention: {p$convention}."))
  }
  audit <- attr(x, "audit")
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line(cli::format_inline("{nrow(audit)} row{?s} of the input not used; see {.code attr(x, \"audit\")}."))
  }
  invisible(x)
}

#' @export
as.data.frame.mrkit_results <- function(x, ...) {
  attr(x, "parameters") <- attr(x, "audit") <- NULL
  class(x) <- "data.frame"
  x
}
