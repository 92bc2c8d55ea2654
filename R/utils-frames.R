# A data frame from equal-length columns without data.frame()'s per-call work (deparsing
# argument names, checking names, converting each column): mr() builds a few small frames
# per call, and on small pairs that work cost as much as the estimators. Columns must be
# atomic vectors of one common length (length-1 columns are recycled); strings stay strings.
new_frame <- function(cols) {
  n <- max(0L, lengths(cols))
  short <- lengths(cols) == 1L & n != 1L
  cols[short] <- lapply(cols[short], rep_len, n)
  stopifnot(all(lengths(cols) == n), !is.null(names(cols)))
  structure(cols, class = "data.frame", row.names = .set_row_names(n))
}
