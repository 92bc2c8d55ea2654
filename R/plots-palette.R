#' Colours of the MR methods in plots
#'
#' One fixed colour per method of [mr_method_list()], distinct for all of them, so that a
#' method has the same colour in every plot of a study. Colours follow the order of the
#' method table: the first eight are the Okabe-Ito palette (readable with the common
#' colour-vision deficiencies), the others were picked one by one from a grid of HCL
#' colours, each as far as possible (CIE Lab distance) from all colours before it and from
#' grey, white and the plot background, so that any two methods differ by a Lab distance of
#' at least 22. Method names not in the table get grey.
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
  # Okabe-Ito, then greedy farthest-point picks from hcl(h = 0, 10, ..., 350,
  # c = 45 or 75, l = 35, 50 or 65) against the colours already chosen.
  pal <- c("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#F0E442",
           "#525900", "#6B36A4", "#942E34", "#63B03E", "#B79A65", "#9E92EE", "#9B0B76",
           "#7C4700", "#E48372", "#00868D", "#006300", "#604683", "#9DA500", "#88A767",
           "#823960", "#DC7AD8", "#006344", "#907500", "#D78D4B", "#A76567", "#919BCF",
           "#2D4CA6")
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
