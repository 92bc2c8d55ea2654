#' Colours of the MR methods in plots
#'
#' One fixed colour per method of [mr_method_list()], distinct for all of them, so that a
#' method has the same colour in every plot of a study. Colours follow the order of the
#' method table: the first eight are the Okabe-Ito palette (readable with the common
#' colour-vision deficiencies), the others are spread over the hue circle at two
#' lightness levels. Method names not in the table get grey.
#'
#' @param methods Method names as in the `method` column of [mr()] results; `NULL` for
#'   every method of [mr_method_list()].
#' @return A named character vector of hex colours, one per method, for
#'   `ggplot2::scale_colour_manual(values = )`.
#' @export
#' @examples
#' mr_method_colours(c("MR Egger", "Inverse variance weighted"))
mr_method_colours <- function(methods = NULL) {
  all <- mr_method_list()$name
  extra <- length(all) - 8L
  hues <- seq(15, 375, length.out = extra + 1L)[seq_len(extra)]
  pal <- c("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442",
           grDevices::hcl(h = hues, c = 70, l = rep(c(45, 65), length.out = extra)))
  # IVW first: the primary analysis of most studies gets the first, strongest colour.
  ord <- c("Inverse variance weighted", "MR Egger", "Weighted median", "Weighted mode",
           "Simple mode", "Simple median", "Wald ratio", "MR Egger (bootstrap)")
  ord <- c(ord, setdiff(all, ord))
  pal <- stats::setNames(pal[seq_along(ord)], ord)
  if (is.null(methods)) return(pal[all])
  methods <- as.character(methods)
  out <- unname(pal[methods])
  out[is.na(out)] <- "#7F7F7F"
  stats::setNames(out, methods)
}
