# Indexed look-up in bgzipped, tabix- or CSI-indexed outcome files (GWAS-VCF from
# OpenGWAS, bgzipped TSV): only the BGZF blocks that hold the requested positions are
# decompressed (C++ core: inst/include/mrkit/io/bgzf_tabix.hpp). The records found are
# copied, after the file's header lines, to a small temporary text file that the streaming
# reader then reads with the same column mapping and SNP filter as the whole file, so the
# rows are those of a full read whenever every requested SNP lies at its given position.

# The index next to `file` (file.tbi, then file.csi), or NULL.
tabix_index_path <- function(file) {
  for (ext in c(".tbi", ".csi")) {
    p <- paste0(file, ext)
    if (file.exists(p)) return(p)
  }
  NULL
}

# Positions of variants as data.frame(SNP, chr, pos) from a data frame with SNP and
# chr/pos columns (chr, chr.exposure, chr.outcome, chr_name; pos, pos.exposure,
# pos.outcome, chrom_start), or NULL.
tabix_positions <- function(positions, call = rlang::caller_env()) {
  if (is.null(positions)) return(NULL)
  if (!is.data.frame(positions)) {
    abort_mrkit("parameter", c("{.arg positions} must be a data frame with columns {.field SNP}, chromosome and position.",
                               i = "For example the exposure data, with {.field chr.exposure} and {.field pos.exposure}."),
                call = call)
  }
  pick <- function(cands) {
    hit <- cands[cands %in% names(positions)]
    if (length(hit)) positions[[hit[1]]] else NULL
  }
  snp <- pick("SNP")
  chr <- pick(c("chr", "chr.exposure", "chr.outcome", "chr_name", "CHR"))
  pos <- pick(c("pos", "pos.exposure", "pos.outcome", "chrom_start", "POS", "BP"))
  if (is.null(snp) || is.null(chr) || is.null(pos)) {
    abort_mrkit("missing_column",
                c("{.arg positions} needs a {.field SNP} column and chromosome and position columns.",
                  i = "Columns: {.field {names(positions)}}."), call = call)
  }
  pos <- suppressWarnings(as.numeric(pos))
  out <- data.frame(SNP = as.character(snp), chr = sub("^chr", "", as.character(chr), ignore.case = TRUE),
                    pos = pos, stringsAsFactors = FALSE)
  out[!is.na(out$SNP) & !is.na(out$chr) & !is.na(out$pos) & out$pos >= 1, , drop = FALSE]
}

# The plan of an indexed read: NULL (read the whole file) unless `file` has an index and
# every one of `snps` has a position; otherwise list(index, chr, pos).
tabix_plan <- function(file, snps, positions) {
  if (is.null(snps) || is.null(positions) || !nrow(positions)) return(NULL)
  index <- tabix_index_path(file)
  if (is.null(index)) return(NULL)
  key <- gsub("[[:space:]]", "", tolower(as.character(snps)))
  m <- match(key, tolower(positions$SNP))
  if (anyNA(m)) return(NULL)
  list(index = index, chr = positions$chr[m], pos = positions$pos[m])
}

# Copy the header lines and the records at the planned positions of `file` to a temporary
# file; returns list(path, stats). A corrupt index or data file, or an index that does not
# belong to the file, is a classed error naming both.
tabix_extract <- function(file, plan, header_lines, call = rlang::caller_env()) {
  if (isTRUE(file.mtime(plan$index) < file.mtime(file))) {
    warn_mrkit("index_older", c("The index {.file {plan$index}} is older than {.file {file}}.",
                                i = "If the data file was rewritten, re-index it."))
  }
  tmp <- tempfile("mrkit-tabix-", fileext = ".txt")
  res <- cpp_tabix_extract(path.expand(file), path.expand(plan$index), as.character(plan$chr),
                           as.numeric(plan$pos), as.numeric(header_lines), tmp)
  if (!is.null(res$error)) {
    unlink(tmp)
    cli::cli_abort(c("Could not use the index {.file {plan$index}} of {.file {file}}.",
                     x = "{res$error$message}",
                     i = "Remove or rebuild the index (e.g. {.code tabix -f -p vcf file.vcf.gz}) to read the whole file."),
                   class = c(paste0("mrkit_error_", res$error$kind), "mrkit_error_read", "mrkit_error"),
                   call = call)
  }
  list(path = tmp, stats = unlist(res))
}

# Write `lines` (a sorted GWAS-VCF or tab-separated table) BGZF-compressed to `file` with
# a tabix index `file.tbi` (C++ writer; used by tests and benchmarks to make fixtures
# without htslib). `format` "vcf" uses the VCF preset; "tsv" indexes columns `seq_col` and
# `pos_col` (1-based, 1-based positions) after `skip` header lines, '#' lines being comments;
# `index = FALSE` writes the BGZF file only.
write_bgzip_tabix <- function(lines, file, format = c("vcf", "tsv"), seq_col = 1L, pos_col = 2L, skip = 0L,
                              index = TRUE) {
  format <- match.arg(format)
  tmp <- tempfile("mrkit-bgzip-")
  on.exit(unlink(tmp))
  writeLines(lines, tmp)
  res <- cpp_bgzip_tabix(tmp, path.expand(file), if (index) paste0(path.expand(file), ".tbi") else "",
                         if (format == "vcf") 2L else 0L, as.integer(seq_col), as.integer(pos_col),
                         0L, 35L, as.integer(skip))
  if (!is.null(res$error)) abort_mrkit("read", res$error$message)
  invisible(file)
}
