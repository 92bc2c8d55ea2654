# A data frame from equal-length columns without data.frame()'s per-call work (deparsing
# argument names, checking names, converting each column): mr() builds a few small frames
# per call, and on small pairs that work cost as much as the estimators. Columns must be
# atomic vectors of one common length (length-1 columns are recycled); strings stay strings.
new_frame <- function(cols) {
  lens <- lengths(cols, use.names = FALSE)
  n <- max(0L, lens)
  short <- lens == 1L & n != 1L
  if (any(short)) {
    cols[short] <- lapply(cols[short], rep_len, n)
    lens[short] <- n
  }
  if (any(lens != n) || is.null(names(cols))) stop("internal error: new_frame() needs named columns of one length")
  attr(cols, "row.names") <- .set_row_names(n)
  class(cols) <- "data.frame"
  cols
}

# Rows `i` of a data frame as a plain data.frame (columns subset directly, attributes other
# than names and class dropped): `[.data.frame` spends most of its time on row names.
frame_rows <- function(df, i) {
  new_frame(lapply(unclass(df), function(col) col[i]))
}

# Data frames stacked by column name, a column missing from some filled with NA (in the
# order of first appearance); NULL entries are skipped. Plain atomic columns (no factors or
# other classes) are joined directly; anything else goes through rbind().
bind_frames <- function(dfs) {
  dfs <- Filter(Negate(is.null), dfs)
  if (!length(dfs)) return(NULL)
  cols <- unique(unlist(lapply(dfs, names)))
  plain <- all(vapply(dfs, function(d) all(vapply(d, function(v) is.atomic(v) && is.null(attr(v, "class")), TRUE)), TRUE))
  if (!plain) {
    dfs <- lapply(dfs, function(d) {
      d <- as.data.frame(d, stringsAsFactors = FALSE)
      for (m in setdiff(cols, names(d))) d[[m]] <- rep(NA, nrow(d))
      d[cols]
    })
    out <- do.call(rbind, unname(dfs))
    rownames(out) <- NULL
    return(out)
  }
  n <- vapply(dfs, nrow, 1L)
  new_frame(stats::setNames(lapply(cols, function(m) {
    unlist(lapply(seq_along(dfs), function(k) dfs[[k]][[m]] %||% rep(NA, n[k])), use.names = FALSE)
  }), cols))
}

# A tibble, data.table or other data frame subclass as a plain data.frame (same columns);
# a data.frame as it is.
as_plain_frame <- function(df) {
  if (identical(class(df), "data.frame")) return(df)
  cols <- as.list(df)
  if (all(vapply(cols, is.atomic, logical(1)))) new_frame(cols) else as.data.frame(df, stringsAsFactors = FALSE)
}
