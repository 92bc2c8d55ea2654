# cis-MR instrument selection: variants of one gene region at a p-value threshold, pruned
# at a loose r^2 on a reference panel, with their LD matrix for the correlated estimators.

#' Select cis instruments in a gene region, with their LD matrix
#'
#' The first steps of a drug-target or protein (cis) MR: keep the variants of one trait in
#' a gene window, at a p-value threshold, prune them at a loose r^2 (default 0.3, instead of
#' the 0.001 of genome-wide clumping) on a PLINK reference panel, and compute the signed LD
#' matrix of the instruments kept, aligned to their effect alleles, for [mr()] with `ld =`
#' and the estimators for correlated instruments ([mr_ivw_correlated()], [mr_pca_ivw()]).
#' It works on an exposure table and, for the reverse direction, on an outcome table
#' (`.outcome` columns).
#'
#' The window is `chr:start-end` (1-based, inclusive, on genome build `build`, which must be
#' the build of the data's positions and of the panel) widened by `flank_kb` on each
#' side, or the line of a BED file (0-based start, as BED defines it) whose name (4th
#' column) is `gene`. Variants without a position are left out.
#'
#' The strength of the correlated instruments is reported as `fstat_ld = z^T R^-1 z / J`
#' (`z = beta / se`, `R` the LD matrix, `J` the number of instruments): the Wald statistic of
#' the joint SNP-trait associations divided by their number, which approximates the
#' first-stage F-statistic of the regression of the trait on the `J` variants jointly
#' (conditional on each other) and is the F-statistic 'MendelianRandomization' reports for
#' correlated variants (`mr_ivw()` with a correlation matrix). Per-variant F-statistics
#' overstate the strength of correlated instruments, which share their signal.
#'
#' @section A cis-MR, in both directions:
#' ```
#' # protein -> disease: instruments in the gene window, LD carried through
#' inst <- cis_instruments(protein, bed = "genes.bed", gene = "IL6R", build = "GRCh37",
#'                         pval_threshold = 5e-8, clump_r2 = 0.3, bfile = panel)
#' out <- extract_outcome_data(inst$SNP, disease_gwas)   # or read_outcome_data()
#' dat <- harmonise_data(inst, out)
#' res <- mr(dat, ld = attr(inst, "ld"))   # or mr(dat, bfile = panel)
#' # disease -> protein: the same on the disease's associations in the window
#' rev <- cis_instruments(disease, bed = "genes.bed", gene = "IL6R", build = "GRCh37",
#'                        pval_threshold = 5e-8, clump_r2 = 0.3, bfile = panel)
#' ```
#' Harmonisation keeps the exposure's alleles, so the matrix stays aligned; [mr()] matches
#' it to the harmonised variants by name and allele and leaves out (with an audit) any
#' variant harmonisation dropped.
#'
#' @param dat An exposure table (from [format_data()] or [read_exposure_data()]) or an
#'   outcome table, with `SNP`, effect and other alleles, `chr.*`, `pos.*` and `pval.*`
#'   columns, for one trait.
#' @param chr,start,end The window: chromosome (with or without `"chr"`) and 1-based
#'   inclusive positions.
#' @param bed,gene Instead of `chr`/`start`/`end`: a BED file and the name (4th column) of
#'   the line to use; a BED file with a single line needs no `gene`.
#' @param build Genome build of the positions (recorded in the result; positions of the
#'   data, the window and the panel must share it).
#' @param flank_kb Flanking region added on each side of the window, in kb.
#' @param pval_threshold Keep variants with p-value at most this.
#' @param clump_r2,clump_kb Pruning: r^2 threshold and window of [clump_data()].
#' @param bfile Path prefix of the PLINK reference panel.
#' @param threads Number of threads.
#' @return The rows of `dat` kept as instruments, with attributes `ld` (the signed LD
#'   matrix, rows named `"SNP_effect_other"`), `cis_region` (chr, start, end, build,
#'   flank_kb, gene), `strength` (nsnp, mean and minimum per-variant F, `fstat_ld`) and
#'   `cis_report`: one row per variant of the window with its `status` (`"instrument"`,
#'   `"above pval_threshold"`, `"pruned"`, `"absent from the panel"`, `"alleles do not match
#'   the panel"`) and `reason`. Every variant left out is announced.
#' @export
#' @examples
#' # A protein and a disease sharing one causal variant in one region of the shipped
#' # example panel: instruments at r2 0.3 with their LD, correlated MR, colocalisation
#' bfile <- example_panel()
#' bim <- utils::read.table(paste0(bfile, ".bim"))
#' bim <- bim[!paste0(bim$V5, bim$V6) %in% c("AT", "TA", "CG", "GC"), ][1:100, ]
#' R <- ld_matrix(bim$V2, bfile, with_alleles = FALSE)
#' set.seed(1)
#' gwas <- function(z_causal, type, name) {  # variant 30 causal, noise correlated by LD
#'   z <- drop(R[, 30] * z_causal + t(chol(R + diag(1e-6, 100))) %*% rnorm(100))
#'   format_data(data.frame(SNP = bim$V2, chr = bim$V1, pos = bim$V4, effect_allele = bim$V5,
#'                          other_allele = bim$V6, beta = z / 100, se = 0.01, samplesize = 1e4,
#'                          pval = 2 * pnorm(-abs(z)), Phenotype = name), type = type)
#' }
#' protein <- gwas(12, "exposure", "protein")
#' disease <- gwas(6, "outcome", "disease")   # true effect 6 / 12 = 0.5
#' inst <- cis_instruments(protein, chr = bim$V1[1], start = min(bim$V4), end = max(bim$V4),
#'                         build = "GRCh37", pval_threshold = 5e-8, clump_r2 = 0.3,
#'                         bfile = bfile)
#' attr(inst, "strength")
#' mr(harmonise_data(inst, disease), ld = attr(inst, "ld"))  # IVW, Egger, ML, PCA-IVW
#' if (requireNamespace("coloc", quietly = TRUE)) {
#'   mr_coloc(protein, disease, sdY_exposure = 1, sdY_outcome = 1)  # PP.H4: shared
#' }
cis_instruments <- function(dat, chr = NULL, start = NULL, end = NULL, bed = NULL, gene = NULL,
                            build = c("GRCh37", "GRCh38"), flank_kb = 0, pval_threshold = 5e-8,
                            clump_r2 = 0.3, clump_kb = 10000, bfile = NULL,
                            threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  build <- match.arg(build)
  prefix <- check_bfile(bfile, call = call)
  if (!is.data.frame(dat)) abort_mrkit("input_type", "{.arg dat} must be an exposure or outcome table.", call = call)
  side <- if ("beta.exposure" %in% names(dat)) "exposure" else if ("beta.outcome" %in% names(dat)) "outcome" else NA
  if (is.na(side)) {
    abort_mrkit("missing_column", "{.arg dat} needs {.field beta.exposure} (an exposure table) or {.field beta.outcome} (an outcome table).", call = call)
  }
  col <- function(x) paste0(x, ".", side)
  check_columns(dat, c("SNP", col(c("chr", "pos", "pval", "beta", "se", "effect_allele", "other_allele"))), call = call)
  id_col <- col("id")
  if (id_col %in% names(dat) && length(unique(dat[[id_col]])) > 1L) {
    abort_mrkit("several_pairs", c("{.arg dat} holds {length(unique(dat[[id_col]]))} traits; select instruments for one at a time.",
                                   i = "Subset by {.field {id_col}}."), call = call)
  }
  region <- cis_region(chr, start, end, bed, gene, flank_kb, build, call = call)
  check_clump_number(pval_threshold, "pval_threshold", 0, 1, call = call)
  check_clump_number(clump_r2, "clump_r2", 0, 1, call = call)
  dchr <- sub("^chr", "", as.character(dat[[col("chr")]]), ignore.case = TRUE)
  pos <- suppressWarnings(as.numeric(dat[[col("pos")]]))
  in_window <- !is.na(pos) & dchr == region$chr & pos >= region$start & pos <= region$end
  win <- dat[in_window, , drop = FALSE]
  if (!nrow(win)) {
    abort_mrkit("no_data", c("No variant of {.arg dat} lies in {region$label} ({build}).",
                             i = "Check the chromosome naming, the window and the genome build of the positions."),
                call = call)
  }
  p <- win[[col("pval")]]
  status <- ifelse(!is.na(p) & p <= pval_threshold, NA_character_, "above pval_threshold")
  reason <- ifelse(is.na(status), NA_character_, sprintf("p = %.3g > %g", p, pval_threshold))
  cand <- which(is.na(status))
  if (!length(cand)) {
    abort_mrkit("no_data", c("No variant in {region$label} reaches p <= {pval_threshold}.",
                             i = "The region has {nrow(win)} variant{?s}; the smallest p-value is {signif(min(p, na.rm = TRUE), 3)}."),
                call = call)
  }
  cl_in <- data.frame(SNP = win$SNP[cand], pval.exposure = p[cand], id.exposure = "cis", stringsAsFactors = FALSE)
  kept <- suppressWarnings(clump_data(cl_in, clump_kb = clump_kb, clump_r2 = clump_r2, bfile = prefix, threads = threads))
  rep <- attr(kept, "clump_report")
  st <- rep$status
  status[cand] <- ifelse(st %in% c("index", "single"), NA, ifelse(st == "absent", "absent from the panel", "pruned"))
  reason[cand] <- ifelse(is.na(status[cand]), NA, rep$reason)
  sel <- which(is.na(status))
  m <- suppressWarnings(ld_matrix(win$SNP[sel], prefix, alleles = win[sel, , drop = FALSE], threads = threads))
  lr <- attr(m, "ld_report")
  bad <- lr$status[match(win$SNP[sel], lr$SNP)] != "in matrix"
  status[sel[bad]] <- lr$status[match(win$SNP[sel[bad]], lr$SNP)]
  reason[sel[bad]] <- status[sel[bad]]
  status[is.na(status)] <- "instrument"
  reason[status == "instrument"] <- "instrument"
  out <- win[status == "instrument", , drop = FALSE]
  report <- data.frame(SNP = win$SNP, pos = pos[in_window], pval = p, status = status, reason = reason,
                       stringsAsFactors = FALSE)
  counts <- table(factor(status, levels = unique(c("instrument", status))))
  cli::cli_inform(c("{region$label} ({build}): {nrow(win)} variant{?s} in the window, {nrow(out)} kept as instrument{?s}.",
                    i = "Left out: {paste0(names(counts)[-1], ' (', counts[-1], ')', collapse = '; ')}{if (length(counts) == 1) 'none' else ''}. See {.code attr(x, \"cis_report\")}."),
                  class = c("mrkit_message_rows_dropped", "mrkit_message"))
  attr(out, "ld") <- m
  attr(out, "cis_region") <- region[c("chr", "start", "end", "build", "flank_kb", "gene")]
  attr(out, "strength") <- ld_strength(out[[col("beta")]], out[[col("se")]], m)
  attr(out, "cis_report") <- report
  out
}

# F-statistics of correlated instruments: per variant and z^T R^-1 z / J.
ld_strength <- function(b, se, ld) {
  z <- b / se
  J <- length(z)
  f_ld <- if (J) sum(backsolve(chol(ld), z, transpose = TRUE)^2) / J else NA_real_
  data.frame(nsnp = J, fstat_mean = if (J) mean(z^2) else NA_real_,
             fstat_min = if (J) min(z^2) else NA_real_, fstat_ld = f_ld)
}

# The window from chr/start/end or a BED file, widened by flank_kb.
cis_region <- function(chr, start, end, bed, gene, flank_kb, build, call = rlang::caller_env()) {
  check_clump_number(flank_kb, "flank_kb", 0, call = call)
  if (!is.null(bed)) {
    if (!is.character(bed) || length(bed) != 1L || !file.exists(bed)) {
      abort_mrkit("input_type", "{.arg bed} must be the path of a BED file.", call = call)
    }
    b <- utils::read.table(bed, header = FALSE, sep = "", comment.char = "#", stringsAsFactors = FALSE,
                           fill = TRUE, colClasses = "character")
    b <- b[!grepl("^(track|browser)", b[[1]]), , drop = FALSE]
    if (ncol(b) < 3L || !nrow(b)) abort_mrkit("input_type", "{.file {bed}} is not a BED file (chrom, start, end).", call = call)
    names_bed <- if (ncol(b) >= 4L) b[[4]] else rep(NA_character_, nrow(b))
    row <- if (!is.null(gene)) which(names_bed == gene) else if (nrow(b) == 1L) 1L else integer()
    if (length(row) != 1L) {
      abort_mrkit("parameter", c(if (is.null(gene)) "{.file {bed}} has {nrow(b)} lines: name one with {.arg gene}." else "{.val {gene}} is on {length(row)} lines of {.file {bed}}; it must be on exactly one.",
                                 i = "Names in the file: {.val {utils::head(unique(names_bed), 8)}}."), call = call)
    }
    chr <- b[[1]][row]
    start <- as.numeric(b[[2]][row]) + 1
    end <- as.numeric(b[[3]][row])
  }
  if (is.null(chr) || is.null(start) || is.null(end)) {
    abort_mrkit("missing_argument", "Give the window as {.arg chr}, {.arg start} and {.arg end}, or as {.arg bed} (and {.arg gene}).", call = call)
  }
  if (length(chr) != 1L || is.na(chr)) abort_mrkit("parameter", "{.arg chr} must be one chromosome.", call = call)
  check_clump_number(start, "start", 0, call = call)
  check_clump_number(end, "end", start, call = call)
  chr <- sub("^chr", "", as.character(chr), ignore.case = TRUE)
  lo <- max(1, start - flank_kb * 1000)
  hi <- end + flank_kb * 1000
  list(chr = chr, start = lo, end = hi, build = build, flank_kb = flank_kb, gene = gene %||% NA_character_,
       label = sprintf("%schr%s:%.0f-%.0f", if (is.null(gene)) "" else paste0(gene, " "), chr, lo, hi))
}
