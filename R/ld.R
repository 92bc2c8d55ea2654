# LD reference panels (PLINK 1 .bed/.bim/.fam) and LD matrices.

#' Path of the example LD reference panel shipped with mrkit
#'
#' A small simulated panel (500 simulated individuals, 2,000 variants in 40 independent
#' haplotype blocks on chromosomes 1-22) made by [simulate_ld_panel()] with the script
#' `data-raw/make-example-panel.R`. The instruments of the simulated [example_exposure]
#' are variants of this panel.
#' Its files are `system.file("extdata", "example_panel.bed", package = "mrkit")` and the
#' matching `.bim` and `.fam`.
#'
#' @return The panel's path prefix (without `.bed`), to pass as `bfile`.
#' @export
#' @examples
#' bfile <- example_panel()
#' head(utils::read.table(paste0(bfile, ".bim")))
example_panel <- function() {
  bed <- system.file("extdata", "example_panel.bed", package = "mrkit")
  sub("\\.bed$", "", bed)
}

# Validate a `bfile` argument and return the panel's prefix. Checks that the three files
# exist and that the .bed starts with PLINK's magic bytes in SNP-major mode.
check_bfile <- function(bfile, call = rlang::caller_env()) {
  if (is.null(bfile)) {
    abort_mrkit("bfile_missing",
                c("{.arg bfile} is required: mrkit computes LD from a local PLINK reference panel.",
                  i = "Give {.code bfile = ld_reference(\"EUR\")} (the 1000 Genomes panel of the GWAS population, downloaded once), or the path prefix of any .bed/.bim/.fam panel.",
                  i = "{.code example_panel()} is a small simulated panel for the examples."),
                call = call)
  }
  if (!is.character(bfile) || length(bfile) != 1L || is.na(bfile) || !nzchar(bfile)) {
    abort_mrkit("input_type", "{.arg bfile} must be a single path prefix (a string).", call = call)
  }
  prefix <- sub("\\.(bed|bim|fam)$", "", path.expand(bfile))
  files <- paste0(prefix, c(".bed", ".bim", ".fam"))
  absent <- files[!file.exists(files)]
  if (length(absent)) {
    abort_mrkit("panel_file", c("The LD reference panel {.file {prefix}} is incomplete.",
                                x = "Missing file{?s}: {.file {absent}}."), call = call)
  }
  con <- file(files[1], "rb")
  magic <- readBin(con, "raw", n = 3L)
  close(con)
  if (length(magic) < 3L || magic[1] != as.raw(0x6c) || magic[2] != as.raw(0x1b)) {
    abort_mrkit("panel_format", c("{.file {files[1]}} is not a PLINK 1 .bed file.",
                                  x = "It does not start with the magic bytes 0x6c 0x1b."), call = call)
  }
  if (magic[3] != as.raw(0x01)) {
    abort_mrkit("panel_format", c("{.file {files[1]}} is in individual-major mode.",
                                  i = "Convert it with {.code plink --make-bed} (SNP-major)."), call = call)
  }
  prefix
}

# The .bim of a panel (chr, SNP, pos, A1, A2) and its number of samples, cached by path,
# size and modification time so repeated calls do not re-read the file.
panel_cache <- new.env(parent = emptyenv())

panel_info <- function(prefix, call = rlang::caller_env()) {
  fi <- file.info(paste0(prefix, c(".bed", ".bim", ".fam")))
  key <- paste(normalizePath(prefix, mustWork = FALSE), paste(fi$size, as.numeric(fi$mtime), collapse = ";"))
  hit <- panel_cache[[key]]
  if (!is.null(hit)) return(hit)
  info <- panel_read(cpp_panel_info(prefix), prefix, call)
  info$chr <- as.character(info$chr)
  for (k in ls(panel_cache)) rm(list = k, envir = panel_cache)
  assign(key, info, envir = panel_cache)
  info
}

# Opens a panel in the C++ core (kept open there while its files are unchanged) without
# copying its .bim into R: its numbers of variants and samples.
panel_open <- function(prefix, call = rlang::caller_env()) {
  panel_read(cpp_panel_dims(prefix), prefix, call)
}

# Any failure to read the .bim/.fam or to match them with the .bed's size is a damaged panel.
panel_read <- function(expr, prefix, call) {
  tryCatch(expr, error = function(e) {
    abort_mrkit("panel_format", c("The LD reference panel {.file {prefix}} is damaged or inconsistent.",
                                  x = conditionMessage(e),
                                  i = "Download it again, or rebuild it with {.code plink --make-bed}."),
                call = call)
  })
}

# Rows of `ids` in the panel's .bim (NA when absent), like match(ids, panel_info(prefix)$SNP)
# but through an id index kept in C++ with the open panel: a few ids are found without
# hashing the panel's millions of ids again, nor copying the .bim into R.
panel_match <- function(prefix, ids, call = rlang::caller_env()) {
  panel_read(cpp_panel_match(prefix, as.character(ids)), prefix, call)
}

# The .bim rows `idx` (1-based) of the panel: a list of chr, SNP, pos, A1, A2.
panel_rows <- function(prefix, idx, call = rlang::caller_env()) {
  panel_read(cpp_panel_rows(prefix, as.integer(idx) - 1L), prefix, call)
}

# Sign (+1 / -1 / NA) that turns a correlation of panel A1 dosages into one of the data's
# effect alleles: +1 when effect/other = A1/A2, -1 when = A2/A1 (also on the opposite
# strand for non-palindromic pairs), NA when the alleles do not match.
allele_sign <- function(ea, oa, a1, a2) {
  ea <- toupper(ea); oa <- toupper(oa); a1 <- toupper(a1); a2 <- toupper(a2)
  s <- rep(NA_real_, length(ea))
  s[which(ea == a1 & oa == a2)] <- 1
  s[which(ea == a2 & oa == a1)] <- -1
  pal <- is_palindromic(a1, a2)
  fe <- flip_strand(ea); fo <- flip_strand(oa)
  s[which(is.na(s) & !pal & fe == a1 & fo == a2)] <- 1
  s[which(is.na(s) & !pal & fe == a2 & fo == a1)] <- -1
  s
}

# Effect/other allele columns of an allele table (plain, .exposure or .outcome names).
allele_columns <- function(alleles, call = rlang::caller_env()) {
  if (!is.data.frame(alleles)) {
    abort_mrkit("input_type", "{.arg alleles} must be a data frame with SNP, effect_allele and other_allele.",
                call = call)
  }
  for (sfx in c("", ".exposure", ".outcome")) {
    cols <- paste0(c("effect_allele", "other_allele"), sfx)
    if (all(c("SNP", cols) %in% names(alleles))) {
      eaf <- paste0("eaf", sfx)
      return(data.frame(SNP = as.character(alleles$SNP), ea = as.character(alleles[[cols[1]]]),
                        oa = as.character(alleles[[cols[2]]]),
                        eaf = if (eaf %in% names(alleles)) suppressWarnings(as.numeric(alleles[[eaf]])) else NA_real_,
                        stringsAsFactors = FALSE))
    }
  }
  abort_mrkit("missing_column", c("{.arg alleles} lacks the allele columns.",
                                  i = "It needs SNP plus effect_allele/other_allele (or their .exposure/.outcome forms)."),
              call = call)
}

#' LD correlation matrix from a local reference panel
#'
#' Signed correlation r (not r^2) between the A1-allele dosages of variants of a PLINK 1
#' reference panel, pairwise-complete over samples, as `plink --r square
#' --keep-allele-order` (and so `ieugwasr::ld_matrix_local()`) computes it. With `alleles`
#' (for example an exposure table), signs are aligned to the data's effect alleles: the
#' row and column of a variant whose effect allele is the panel's A2 change sign, and
#' variants whose alleles do not match the panel are dropped.
#'
#' Variants absent from the panel or with unalignable alleles are dropped with a classed
#' warning; `attr(result, "ld_report")` gives each requested variant's status (`"in
#' matrix"`, `"absent from the panel"`, `"no alleles given"`, `"alleles do not match the
#' panel"`, `"palindromic with allele frequency near 0.5 (strand unknown)"`), the sign
#' applied and, for palindromic variants, how their strand was decided (`strand`). Alleles
#' match directly, swapped, or on the other strand. For palindromic variants (A/T, C/G) the
#' alleles cannot tell the strand: with an effect allele frequency in `alleles` (`eaf`,
#' `eaf.exposure` or `eaf.outcome`) it is decided from the frequencies, as
#' [harmonise_data()] does (the variant is dropped when either frequency is within 0.08 of
#' 0.5); without one the data's alleles are taken to be on the panel's strand. Rows and
#' columns follow the order of `snps`.
#'
#' @param snps Variant ids (rsids as in the panel's .bim), or a table with `SNP` and
#'   alleles (an exposure or harmonised table), which then also serves as `alleles`: the
#'   matrix is aligned to `effect_allele.exposure`, ready for [mr()] with `ld =` and the
#'   estimators of [mr_ivw_correlated()].
#' @param bfile Path prefix of the PLINK panel (.bed/.bim/.fam).
#' @param with_alleles Name rows and columns `"rsid_A1_A2"` (`TRUE`, as TwoSampleMR) or by
#'   rsid only. With `alleles`, the names carry the data's effect and other allele.
#' @param alleles Optional data frame with `SNP`, `effect_allele`, `other_allele` (or the
#'   `.exposure` / `.outcome` forms) giving the alleles to align to.
#' @param threads Number of threads.
#' @return A square numeric matrix with the attribute `ld_report`.
#' @export
#' @examples
#' bfile <- example_panel()
#' snps <- utils::read.table(paste0(bfile, ".bim"))$V2[1:5]
#' ld_matrix(snps, bfile)
ld_matrix <- function(snps, bfile, with_alleles = TRUE, alleles = NULL,
                      threads = getOption("mrkit.threads", 1L)) {
  prefix <- check_bfile(bfile)
  threads <- check_threads(threads)
  if (is.data.frame(snps)) {
    check_columns(snps, "SNP", what = "snps")
    if (is.null(alleles)) alleles <- snps
    snps <- snps$SNP
  }
  if (!is.character(snps) && !is.factor(snps)) {
    abort_mrkit("input_type", "{.arg snps} must be a character vector of variant ids.")
  }
  snps <- unique(as.character(snps))
  info <- panel_info(prefix)
  idx <- match(snps, info$SNP)
  status <- ifelse(is.na(idx), "absent from the panel", "in matrix")
  sign <- rep(1, length(snps))
  strand <- rep(NA_character_, length(snps))
  a1 <- info$A1[idx]; a2 <- info$A2[idx]
  if (!is.null(alleles)) {
    al <- allele_columns(alleles)
    k <- match(snps, al$SNP)
    sign <- allele_sign(al$ea[k], al$oa[k], a1, a2)
    status[!is.na(idx) & is.na(k)] <- "no alleles given"
    status[!is.na(idx) & !is.na(k) & is.na(sign)] <- "alleles do not match the panel"
    pal <- which(status == "in matrix" & is_palindromic(toupper(a1), toupper(a2)))
    strand[pal] <- "palindromic: not checked (no eaf)"
    chk <- pal[!is.na(al$eaf[k[pal]])]
    if (length(chk)) {
      # The strand of a palindromic variant from allele frequencies (as harmonise_data()
      # infers it): the data's effect allele frequency against the panel's frequency of
      # the allele it was matched to; ambiguous within 0.08 of 0.5.
      e <- al$eaf[k[chk]]
      f <- call_core(cpp_panel_freq(prefix, idx[chk] - 1L), what = "the panel reader")
      f_ea <- ifelse(sign[chk] > 0, f, 1 - f)
      amb <- abs(e - 0.5) < 0.08 | abs(f - 0.5) < 0.08
      flip <- !amb & (e - 0.5) * (f_ea - 0.5) < 0
      status[chk[amb]] <- "palindromic with allele frequency near 0.5 (strand unknown)"
      sign[chk[flip]] <- -sign[chk[flip]]
      strand[chk] <- ifelse(amb, NA, ifelse(flip, "palindromic: other strand (by allele frequency)",
                                            "palindromic: same strand (by allele frequency)"))
    }
    a1 <- ifelse(is.na(k), a1, al$ea[k]); a2 <- ifelse(is.na(k), a2, al$oa[k])
  }
  keep <- status == "in matrix"
  report <- data.frame(SNP = snps, status = status, panel_A1 = info$A1[idx], panel_A2 = info$A2[idx],
                       sign = ifelse(keep, sign, NA_real_), strand = strand, stringsAsFactors = FALSE)
  if (any(!keep)) {
    dropped <- snps[!keep]
    warn_mrkit("ld_dropped", c("{length(dropped)} variant{?s} dropped from the LD matrix: {.val {utils::head(dropped, 5)}}{if (length(dropped) > 5) ' ...' else ''}.",
                               i = "See {.code attr(x, \"ld_report\")} for the reasons."))
  }
  m <- call_core(cpp_ld_matrix(prefix, idx[keep] - 1L, "r", threads), what = "the LD computation")
  s <- sign[keep]
  m <- m * outer(s, s)
  nm <- if (isTRUE(with_alleles)) paste(snps[keep], a1[keep], a2[keep], sep = "_") else snps[keep]
  dimnames(m) <- list(nm, nm)
  attr(m, "ld_report") <- report
  m
}

# Haplotype (EM) r^2 matrix of panel variants, plink 1.9's --clump / --ld measure.
ld_r2_haplotype <- function(snps, bfile) {
  prefix <- check_bfile(bfile)
  info <- panel_info(prefix)
  idx <- match(snps, info$SNP)
  if (anyNA(idx)) abort_mrkit("snp_absent", "Variant{?s} {.val {snps[is.na(idx)]}} {?is/are} not in the panel.")
  m <- call_core(cpp_ld_matrix(prefix, idx - 1L, "r2", 1L), what = "the LD computation")
  dimnames(m) <- list(snps, snps)
  m
}
