# Text that fits the size the plot is drawn at. ggplot2 sizes text in points whatever the
# size of the device, so a title longer than its panel side runs off the device at small
# sizes (an axis title of "SNP effect on Coronary heart disease" at 3 x 3 inches), and
# rows of labels overlap when the panel is short. The theme element made here shrinks its
# text when the plot is drawn -- not when it is built, since only then is the panel's size
# known -- and is used by every plot of mrkit for axis titles and row labels:
# * a title (one label) shrinks until it is no longer than the side of the panel it
#   labels; a one-line title first tries two lines, which fit in the room of one line at
#   full size when the text is at most half as large (whichever gives the larger text);
# * a row of labels (several labels at positions along the axis) shrinks until
#   neighbouring labels no longer overlap (rotated labels of an x axis: until the
#   parallel strips they make no longer overlap).
# Text never grows beyond its theme size; the room the layout reserved (computed at full
# size) is kept, so nothing else moves. The fitting elements are the side-specific ones
# (axis.title.x.bottom, axis.title.y.left, axis.text.x.bottom, axis.text.y.left), which
# take every setting from their parents: a user's theme(axis.title.y = element_text(size =
# 14)) gives the full size, and a complete theme added afterwards (+ theme_bw()) gives
# ggplot2's usual fixed sizes.

# The fitting element: an element_text with an extra class.
plot_fit_text <- function(...) {
  # inherit.blank: a parent set to element_blank() (no axis text) blanks this one too
  el <- ggplot2::element_text(..., inherit.blank = TRUE)
  class(el) <- c("mrkit_fit_text", class(el))
  el
}

# Theme of fitting axis titles and axis text, and a right margin for the last x-axis label,
# which sits centred on the panel's edge when the axis ends on a break. Added to every plot.
plot_theme_fit <- function() {
  ggplot2::theme(axis.title.x.bottom = plot_fit_text(), axis.title.y.left = plot_fit_text(),
                 axis.text.x.bottom = plot_fit_text(), axis.text.y.left = plot_fit_text(),
                 plot.margin = ggplot2::margin(5.5, 14, 5.5, 5.5),
                 # compact legend keys: legends take less of a small plot
                 legend.key.size = ggplot2::unit(12, "pt"))
}

#' @exportS3Method ggplot2::element_grob
element_grob.mrkit_fit_text <- function(element, label = "", ...) {
  full <- NextMethod()
  if (is.null(label) || !length(label) || inherits(full, "zeroGrob")) return(full)
  plain <- element
  class(plain) <- setdiff(class(plain), "mrkit_fit_text")
  grid::gTree(children = grid::gList(full), element = plain, label = label, args = list(...),
              widths = full$widths, heights = full$heights, cl = "mrkit_fit_title")
}

#' @exportS3Method grid::widthDetails
widthDetails.mrkit_fit_title <- function(x) sum(x$widths)

#' @exportS3Method grid::heightDetails
heightDetails.mrkit_fit_title <- function(x) sum(x$heights)

#' @exportS3Method grid::makeContent
makeContent.mrkit_fit_title <- function(x) {
  el <- x$element
  size <- x$args$size %||% el$size
  angle <- x$args$angle %||% el$angle %||% 0
  if (is.null(size)) return(x)
  fit <- fit_text_layout(x$label, x$args, el, size, angle)
  if (is.null(fit)) return(x)
  el$size <- fit$size
  args <- x$args
  args$size <- NULL
  g <- do.call(ggplot2::element_grob, c(list(el, label = fit$label), args))
  grid::setChildren(x, grid::gList(fit_text_align(g, el, args)))
}

# The smaller text keeps its place against the panel: a row of labels along y (a forest
# plot's variants) is justified by its hjust within the room reserved at full size, and a
# row along x by its vjust, instead of being centred in that room (which left a gap between
# the labels and the panel).
fit_text_align <- function(g, el, args) {
  if (is.null(g$vp) || is.null(g$widths) || is.null(g$heights)) return(g)
  if (!is.null(args$y)) {
    h <- el$hjust %||% 0.5
    outer <- grid::viewport(x = grid::unit(h, "npc"), width = sum(g$widths), just = c(h, 0.5))
  } else if (!is.null(args$x)) {
    v <- el$vjust %||% 0.5
    outer <- grid::viewport(y = grid::unit(v, "npc"), height = sum(g$heights), just = c(0.5, v))
  } else {
    return(g)
  }
  g$vp <- grid::vpStack(outer, g$vp)
  g
}

# The label and size to draw, or NULL to draw as built. Measures in points in the viewport
# of the title's (or axis's) cell, which is as long as the panel side.
fit_text_layout <- function(label, args, el, size, angle) {
  vertical_text <- angle %% 180 != 0
  gp <- grid::gpar(fontsize = size, fontfamily = el$family %||% "", fontface = el$face %||% "plain",
                   lineheight = el$lineheight %||% 0.9)
  width_pt <- function(s, g = gp) {
    vapply(s, function(t) grid::convertWidth(grid::grobWidth(grid::textGrob(t, gp = g)), "pt", TRUE), 1)
  }
  pos <- if (!is.null(args$y)) args$y else args$x
  if (length(label) == 1L || is.null(pos)) {
    # a title: its length against the cell's length in the direction of the text
    if (angle %% 90 != 0) return(NULL)
    avail <- if (vertical_text) grid::convertHeight(grid::unit(1, "npc"), "pt", TRUE) else
      grid::convertWidth(grid::unit(1, "npc"), "pt", TRUE)
    if (!is.finite(avail) || avail <= 0) return(NULL)
    if (!is.character(label)) {
      # a plotmath expression: measured as drawn, never re-wrapped
      len <- grid::convertWidth(grid::grobWidth(grid::textGrob(label, gp = gp)), "pt", TRUE)
      return(if (len > avail) list(label = label, size = size * avail / len))
    }
    label <- label[1]
    if (is.na(label) || !nzchar(label)) return(NULL)
    len <- max(width_pt(strsplit(label, "\n", fixed = TRUE)[[1]]), 0)
    if (len <= avail) return(NULL)
    best <- list(label = label, size = size * avail / len)
    two <- fit_split_two_lines(label)
    if (!is.null(two)) {
      s2 <- min(size / 2, size * avail / max(width_pt(strsplit(two, "\n", fixed = TRUE)[[1]])))
      if (s2 > best$size) best <- list(label = two, size = s2)
    }
    return(best)
  }
  # a row of labels at positions `pos` along the axis
  along_y <- !is.null(args$y)
  if (!is.character(label) || (along_y && angle %% 180 != 0)) return(NULL)
  at <- if (along_y) grid::convertY(pos, "pt", TRUE) else grid::convertX(pos, "pt", TRUE)
  lab <- as.character(label)
  ok <- is.finite(at) & !is.na(lab)
  if (sum(ok) < 2L) return(NULL)
  o <- order(at[ok])
  at <- at[ok][o]
  lab <- lab[ok][o]
  gap <- diff(at)
  if (along_y || angle %% 180 != 0) {
    # stacked rows: each label's height (lines x line height) against the row spacing;
    # rotated labels along x (a heatmap's columns) are parallel strips, apart by the
    # spacing times the sine of their angle
    lines <- lengths(strsplit(lab, "\n", fixed = TRUE))
    h <- size * (1 + (pmax(lines, 1) - 1) * gp$lineheight) * 1.05
    need <- (h[-1] + h[-length(h)]) / 2 / if (along_y) 1 else abs(sin(angle * pi / 180))
  } else {
    w <- vapply(strsplit(lab, "\n", fixed = TRUE), function(l) max(width_pt(l), 0), 1)
    need <- (w[-1] + w[-length(w)]) / 2 + 0.5 * size   # half a character of space between
  }
  scale <- min(1, gap / need)
  if (!is.finite(scale) || scale >= 1) return(NULL)
  list(label = label, size = max(2, size * scale))
}

# A one-line title split at the space nearest its middle, or NULL.
fit_split_two_lines <- function(label) {
  if (grepl("\n", label, fixed = TRUE)) return(NULL)
  sp <- gregexpr(" ", label, fixed = TRUE)[[1]]
  if (sp[1] < 0) return(NULL)
  mid <- nchar(label) / 2
  k <- sp[which.min(abs(sp - mid))]
  paste0(substr(label, 1, k - 1), "\n", substr(label, k + 1, nchar(label)))
}
