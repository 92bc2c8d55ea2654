# autoplot() and plot() methods for mrkit's result classes: each draws the one obvious
# picture of its class by calling the plot function named in its documentation.

#' Default pictures of mrkit results
#'
#' `autoplot()` (the 'ggplot2' generic) and `plot()` methods for the result classes that
#' have one obvious picture. `autoplot()` returns the ggplot; `plot()` draws it and returns
#' it invisibly. Arguments in `...` go to the plot function:
#'
#' | class | from | picture |
#' |---|---|---|
#' | `mrkit_results` | [mr()], [mr_adjust()] | [mr_forest_summary()]: methods per pair |
#' | `mrkit_results` with `direction` | [mr_bidirectional()] | [mr_bidirectional_plot()] |
#' | `mrkit_scan` | [mr_scan()] | [mr_scan_plot()]: heatmap of all pairs |
#' | `mrkit_mediation` | [mr_mediation()] | [mr_mediation_plot()] |
#' | `mrkit_radial` | [mr_radial_ivw()], [mr_radial_egger()] | [mr_radial_plot()] |
#' | `mrkit_presso` | [mr_presso()] | [mr_presso_plot()] |
#'
#' Tables of one row per variant (leave-one-out, single-variant) have their own plot
#' functions and are refused here.
#'
#' @param object,x A result of the functions above.
#' @param ... Further arguments to the plot function.
#' @return `autoplot()`: a ggplot object. `plot()`: the same, invisibly, after drawing it.
#' @name mrkit-autoplot
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' res <- mr(d, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))
#' ggplot2::autoplot(res)
#' plot(mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome))
NULL

#' @rdname mrkit-autoplot
#' @exportS3Method ggplot2::autoplot
autoplot.mrkit_results <- function(object, ...) {
  if ("SNP" %in% names(object)) {
    abort_mrkit("unsupported", c("This table has one row per variant; {.fn autoplot} draws one row per exposure-outcome pair.",
                                 i = "Use the variant-level plot functions (forest, leave-one-out)."))
  }
  if (!"b" %in% names(object)) {
    abort_mrkit("unsupported", "This table has no estimates ({.field b}) to draw.")
  }
  if ("direction" %in% names(object)) return(mr_bidirectional_plot(object, ...))
  mr_forest_summary(object, ...)
}

#' @rdname mrkit-autoplot
#' @exportS3Method ggplot2::autoplot
autoplot.mrkit_scan <- function(object, ...) mr_scan_plot(object, ...)

#' @rdname mrkit-autoplot
#' @exportS3Method ggplot2::autoplot
autoplot.mrkit_mediation <- function(object, ...) mr_mediation_plot(object, ...)

#' @rdname mrkit-autoplot
#' @exportS3Method ggplot2::autoplot
autoplot.mrkit_radial <- function(object, ...) mr_radial_plot(object, ...)

#' @rdname mrkit-autoplot
#' @exportS3Method ggplot2::autoplot
autoplot.mrkit_presso <- function(object, ...) mr_presso_plot(object, ...)

#' @rdname mrkit-autoplot
#' @export
plot.mrkit_results <- function(x, ...) plot_drawn(ggplot2::autoplot(x, ...))

#' @rdname mrkit-autoplot
#' @export
plot.mrkit_radial <- function(x, ...) plot_drawn(ggplot2::autoplot(x, ...))

#' @rdname mrkit-autoplot
#' @export
plot.mrkit_presso <- function(x, ...) plot_drawn(ggplot2::autoplot(x, ...))

plot_drawn <- function(p) {
  print(p)
  invisible(p)
}
