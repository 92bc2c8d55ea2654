# Classed conditions. Every error mrkit raises has class c("mrkit_error_<kind>", "mrkit_error").

# `class` adds classes between the kind's and "mrkit_error" (a family, e.g. all OpenGWAS errors).
abort_mrkit <- function(kind, message, ..., class = NULL, call = rlang::caller_env(), .envir = parent.frame()) {
  cli::cli_abort(message, ..., class = c(paste0("mrkit_error_", kind), class, "mrkit_error"),
                 call = call, .envir = .envir)
}

warn_mrkit <- function(kind, message, ..., .envir = parent.frame()) {
  cli::cli_warn(message, ..., class = c(paste0("mrkit_warning_", kind), "mrkit_warning"),
                .envir = .envir)
}

# Run a call into the C++ core; an exception from the core becomes a classed R error
# with the original as parent.
call_core <- function(expr, what = "the C++ core", call = rlang::caller_env()) {
  tryCatch(expr, error = function(e) {
    cli::cli_abort(c("Computation failed in {what}.", x = conditionMessage(e)),
                   class = c("mrkit_error_core", "mrkit_error"), parent = e, call = call)
  })
}
