#' Colocalisation of exposure and outcome signals with the coloc package
#'
#' Runs `coloc::coloc.abf()` (Giambartolomei et al. 2014; Wallace 2020) or, with an LD
#' reference, `coloc::coloc.susie()` (Wallace 2021) on mrkit's exposure and outcome
#' tables, one region at a time, and returns one tidy row per region (per pair of
#' credible sets for SuSiE) with the posterior probabilities PP.H0-PP.H4: H3 = both traits
#' are associated through different causal variants, H4 = through one shared variant.
#' The statistics are coloc's own; mrkit prepares its input:
#'
#' * **Alignment.** Two tables are harmonised with [harmonise_data()] (outcome effects on
#'   the exposure's effect allele; ambiguous palindromes left out). A harmonised table can
#'   be given instead as `exposure_dat` alone.
#' * **Trait types and sample sizes.** A side is case-control (`"cc"`) when its `ncase.*`
#'   and `ncontrol.*` columns are known, with `s = ncase / (ncase + ncontrol)` and
#'   `N = ncase + ncontrol`; otherwise quantitative (`"quant"`) with `N = samplesize.*`. Per-
#'   variant values are summarised by their median over the region. `type_exposure`,
#'   `type_outcome`, `sdY_exposure` and `sdY_outcome` override.
#' * **MAF** of each side is `min(eaf, 1 - eaf)` of its own `eaf.*` column (else the other
#'   side's); coloc needs it for a quantitative trait whose `sdY` is not given.
#' * **Regions.** `region` is a data frame with `chr`, `start`, `end` (and optionally
#'   `name`), selecting variants by `chr.exposure` / `pos.exposure` (inclusive), or the name
#'   of a column of the table that labels the regions; `NULL` treats all variants as one
#'   region. Several exposure-outcome pairs are analysed pair by pair.
#' * **LD** for SuSiE comes from [ld_matrix()] on the region's variants with the exposure's
#'   alleles (`bfile`), or from `ld` (named by SNP, signed on the exposure effect alleles).
#'
#' Variants left out (not harmonisable, missing effect, SE, MAF, or LD) are recorded in
#' `attr(result, "audit")` and announced. Missing required columns are errors of class
#' `mrkit_error_missing_column` naming the column.
#'
#' @param exposure_dat Exposure table (as from [format_data()]) or a harmonised table.
#' @param outcome_dat Outcome table, or `NULL` when `exposure_dat` is harmonised.
#' @param ... Unused; further arguments must be named.
#' @param region `NULL`, a data frame of regions (`chr`, `start`, `end`, optional `name`),
#'   or the name of a column of the data labelling regions.
#' @param method `"abf"` (`coloc.abf`, single causal variant per trait) or `"susie"`
#'   (`coloc.susie`, several; needs `bfile` or `ld` and the susieR package).
#' @param bfile PLINK reference panel for the LD of `method = "susie"`.
#' @param ld Instead of `bfile`, an LD correlation matrix with SNP names.
#' @param type_exposure,type_outcome `"quant"` or `"cc"`, overriding the detection.
#' @param sdY_exposure,sdY_outcome Standard deviation of a quantitative trait, if known.
#' @param p1,p2,p12 coloc's prior probabilities; `NULL` keeps coloc's defaults, which
#'   differ by method (`coloc.abf`: 1e-4, 1e-4, 1e-5; `coloc.susie`: p12 = 5e-6).
#' @param susie_args A list of further arguments to `coloc.susie()` (e.g.
#'   `list(susie.args = list(L = 5))`).
#' @return A data frame of class `mrkit_coloc` with `id.exposure`, `id.outcome`,
#'   `exposure`, `outcome`, `region`, `method`, `nsnps`, `PP.H0`-`PP.H4`, `top_snp`
#'   (abf: the variant with the highest posterior of being the shared causal variant
#'   under H4, with that posterior in `top_snp_pp`; susie: the exposure's and outcome's
#'   credible-set lead variants in `hit.exposure`, `hit.outcome`), and `note`.
#'   `attr(x, "coloc")` keeps coloc's full results by region.
#' @references Giambartolomei C et al. (2014) Bayesian test for colocalisation between
#'   pairs of genetic association studies using summary statistics. PLoS Genet
#'   10:e1004383. Wallace C (2021) A more accurate method for colocalisation analysis
#'   allowing for multiple causal variants. PLoS Genet 17:e1009440.
#' @export
#' @examples
#' if (requireNamespace("coloc", quietly = TRUE)) {
#'   # One region of the example panel: one causal variant shared by both traits
#'   bfile <- example_panel()
#'   bim <- utils::read.table(paste0(bfile, ".bim"))[1:50, ]
#'   R <- ld_matrix(bim$V2, bfile, with_alleles = FALSE)
#'   set.seed(1)
#'   z <- function(k) drop(R[, k] * 7 + crossprod(chol(R + diag(1e-6, 50)), rnorm(50)))
#'   se <- rep(0.02, 50)
#'   exp_dat <- data.frame(SNP = bim$V2, effect_allele.exposure = bim$V5,
#'                         other_allele.exposure = bim$V6, eaf.exposure = 0.3,
#'                         beta.exposure = z(20) * se, se.exposure = se,
#'                         samplesize.exposure = 5000, id.exposure = "x", exposure = "X")
#'   out_dat <- data.frame(SNP = bim$V2, effect_allele.outcome = bim$V5,
#'                         other_allele.outcome = bim$V6, eaf.outcome = 0.3,
#'                         beta.outcome = z(20) * se, se.outcome = se,
#'                         ncase.outcome = 2000, ncontrol.outcome = 3000,
#'                         id.outcome = "y", outcome = "Y")
#'   mr_coloc(exp_dat, out_dat)
#' }
mr_coloc <- function(exposure_dat, outcome_dat = NULL, ..., region = NULL,
                     method = c("abf", "susie"), bfile = NULL, ld = NULL,
                     type_exposure = NULL, type_outcome = NULL, sdY_exposure = NULL,
                     sdY_outcome = NULL, p1 = NULL, p2 = NULL, p12 = NULL, susie_args = list()) {
  rlang::check_dots_empty()
  method <- rlang::arg_match(method)
  call <- rlang::current_env()
  rlang::check_installed("coloc", reason = "for mr_coloc().")
  if (method == "susie") {
    rlang::check_installed("susieR", reason = "for mr_coloc(method = \"susie\").")
    if (is.null(bfile) && is.null(ld)) {
      abort_mrkit("missing_argument", c("{.code method = \"susie\"} needs the LD of the region.",
                                        i = "Give {.arg bfile} (a PLINK panel) or {.arg ld}."), call = call)
    }
    if (!is.null(bfile)) bfile <- check_bfile(bfile, call = call)
    if (!is.null(ld)) ld <- check_coloc_ld(ld, call)
  }
  for (nm in c("type_exposure", "type_outcome")) {
    x <- get(nm)
    if (!is.null(x) && !(is.character(x) && length(x) == 1L && x %in% c("quant", "cc"))) {
      abort_mrkit("parameter", "{.arg {nm}} must be {.val quant} or {.val cc}.", call = call)
    }
  }
  for (nm in c("p1", "p2", "p12")) {
    x <- get(nm)
    if (!is.null(x) && !(is.numeric(x) && length(x) == 1L && !is.na(x) && x > 0 && x < 1)) {
      abort_mrkit("parameter", "{.arg {nm}} must be NULL or a single probability in (0, 1).", call = call)
    }
  }
  dat <- coloc_harmonised(exposure_dat, outcome_dat, call)
  regions <- coloc_regions(dat, region, call)
  audit <- attr(dat, "coloc_audit")
  rows <- list(); details <- list()
  pairs <- unique(dat[c("id.exposure", "id.outcome")])
  for (p in seq_len(nrow(pairs))) {
    pd <- dat[dat$id.exposure == pairs$id.exposure[p] & dat$id.outcome == pairs$id.outcome[p], , drop = FALSE]
    for (r in seq_len(nrow(regions$table))) {
      rd <- pd[regions$member(pd, r), , drop = FALSE]
      label <- regions$table$name[r]
      if (!nrow(rd)) next
      prep <- coloc_datasets(rd, list(exposure = type_exposure, outcome = type_outcome),
                             list(exposure = sdY_exposure, outcome = sdY_outcome), call)
      audit <- rbind(audit, coloc_audit_rows(prep$dropped, rd, label))
      ds <- prep$datasets
      if (method == "susie") {
        ldr <- coloc_region_ld(ds$exposure$snp, rd, bfile, ld)
        audit <- rbind(audit, coloc_audit_rows(ldr$dropped, rd, label))
        keep <- ds$exposure$snp %in% rownames(ldr$ld)
        ds <- lapply(ds, coloc_subset, keep = keep)
        ds$exposure$LD <- ds$outcome$LD <- ldr$ld[ds$exposure$snp, ds$exposure$snp, drop = FALSE]
      }
      key <- paste(pairs$id.exposure[p], pairs$id.outcome[p], label, sep = " | ")
      res <- coloc_run(ds, method, p1, p2, p12, susie_args)
      details[[key]] <- res
      row <- coloc_summary_rows(res, method, length(ds$exposure$snp))
      if (!is.null(prep$note)) row$note <- ifelse(is.na(row$note), prep$note, paste(row$note, prep$note, sep = "; "))
      rows[[key]] <- cbind(data.frame(id.exposure = pairs$id.exposure[p], id.outcome = pairs$id.outcome[p],
                                      exposure = first_or_na(rd, "exposure"), outcome = first_or_na(rd, "outcome"),
                                      region = label, method = paste0("coloc.", method),
                                      stringsAsFactors = FALSE), row)
    }
  }
  if (!length(rows)) {
    abort_mrkit("no_data", "No variant of the data lies in the regions given.", call = call)
  }
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  if (!is.null(audit) && nrow(audit)) {
    rownames(audit) <- NULL
    announce_dropped(audit, nrow(dat), "mr_coloc()", unit = "variant")
  }
  attr(out, "coloc") <- details
  class(out) <- c("mrkit_coloc", "data.frame")
  with_audit(out, audit)
}

#' @export
print.mrkit_coloc <- function(x, ...) {
  cat(sprintf("Colocalisation (coloc %s), %d region result%s\n",
              if (requireNamespace("coloc", quietly = TRUE)) as.character(utils::packageVersion("coloc")) else "",
              nrow(x), if (nrow(x) == 1L) "" else "s"))
  df <- as.data.frame(unclass(x), stringsAsFactors = FALSE)
  pp <- grep("^PP\\.H", names(df), value = TRUE)
  df[pp] <- lapply(df[pp], function(v) {
    ifelse(is.na(v), "NA", ifelse(v < 1e-3, formatC(v, format = "e", digits = 1), formatC(v, format = "f", digits = 4)))
  })
  cols <- intersect(c("exposure", "outcome", "region", "method", "nsnps", pp, "top_snp", "hit.exposure",
                      "hit.outcome", "note"), names(df))
  df <- df[cols]
  df <- df[, vapply(df, function(v) !all(is.na(v)), logical(1)), drop = FALSE]
  print(df, row.names = FALSE, right = FALSE)
  invisible(x)
}

# -- helpers ------------------------------------------------------------------------------

first_or_na <- function(d, col) if (col %in% names(d)) as.character(d[[col]][1]) else NA_character_

# One harmonised table (outcome effects on the exposure effect allele), rows usable for coloc.
coloc_harmonised <- function(exposure_dat, outcome_dat, call) {
  if (!is.null(outcome_dat)) {
    dat <- suppressMessages(harmonise_data(exposure_dat, outcome_dat))
  } else {
    if (!is.data.frame(exposure_dat)) {
      abort_mrkit("input_type", "{.arg exposure_dat} must be a data frame.", call = call)
    }
    dat <- as.data.frame(exposure_dat)
  }
  need <- c("SNP", "beta.exposure", "se.exposure", "beta.outcome", "se.outcome")
  miss <- setdiff(need, names(dat))
  if (length(miss)) {
    abort_mrkit("missing_column", c("The data lack column{?s} {.field {miss}}.",
                                    i = "Give exposure and outcome tables, or a table from {.fn harmonise_data}."),
                call = call)
  }
  for (id in c("id.exposure", "id.outcome")) if (!id %in% names(dat)) dat[[id]] <- sub("^id\\.", "", id)
  dat$SNP <- as.character(dat$SNP)
  ok <- if ("mr_keep" %in% names(dat)) !is.na(dat$mr_keep) & as.logical(dat$mr_keep) else rep(TRUE, nrow(dat))
  complete <- stats::complete.cases(dat$beta.exposure, dat$se.exposure, dat$beta.outcome, dat$se.outcome) &
    dat$se.exposure > 0 & dat$se.outcome > 0
  complete[is.na(complete)] <- FALSE
  reason <- ifelse(!ok, "not harmonised (mr_keep FALSE)", "missing effect or standard error")
  bad <- which(!(ok & complete))
  audit <- coloc_audit_rows(data.frame(row = bad, reason = reason[bad]), dat, NA_character_)
  dat <- dat[ok & complete, , drop = FALSE]
  attr(dat, "coloc_audit") <- audit
  dat
}

coloc_audit_rows <- function(dropped, dat, region) {
  if (is.null(dropped) || !nrow(dropped)) return(NULL)
  data.frame(id.exposure = as.character(dat$id.exposure[dropped$row]),
             id.outcome = as.character(dat$id.outcome[dropped$row]),
             SNP = dat$SNP[dropped$row], region = region, reason = dropped$reason,
             stringsAsFactors = FALSE)
}

# Regions: a table with names and a membership function.
coloc_regions <- function(dat, region, call) {
  if (is.null(region)) {
    return(list(table = data.frame(name = "all variants"), member = function(d, r) rep(TRUE, nrow(d))))
  }
  if (is.character(region) && length(region) == 1L) {
    if (!region %in% names(dat)) {
      abort_mrkit("missing_column", "The data have no column {.field {region}} (given as {.arg region}).", call = call)
    }
    labs <- unique(as.character(dat[[region]]))
    return(list(table = data.frame(name = labs),
                member = function(d, r) as.character(d[[region]]) == labs[r]))
  }
  if (!is.data.frame(region) || !all(c("chr", "start", "end") %in% names(region))) {
    abort_mrkit("input_type", "{.arg region} must be NULL, a column name, or a data frame with chr, start and end.",
                call = call)
  }
  pos_cols <- if (all(c("chr.exposure", "pos.exposure") %in% names(dat))) c("chr.exposure", "pos.exposure")
              else if (all(c("chr.outcome", "pos.outcome") %in% names(dat))) c("chr.outcome", "pos.outcome")
  if (is.null(pos_cols)) {
    abort_mrkit("missing_column", c("Selecting regions by position needs columns {.field chr.exposure} and {.field pos.exposure}.",
                                    i = "Or label the regions in a column and give its name as {.arg region}."),
                call = call)
  }
  tab <- as.data.frame(region)
  if (!"name" %in% names(tab)) tab$name <- sprintf("%s:%s-%s", tab$chr, tab$start, tab$end)
  list(table = tab, member = function(d, r) {
    chr <- sub("^chr", "", as.character(d[[pos_cols[1]]]), ignore.case = TRUE)
    pos <- suppressWarnings(as.numeric(d[[pos_cols[2]]]))
    !is.na(pos) & chr == sub("^chr", "", as.character(tab$chr[r]), ignore.case = TRUE) &
      pos >= tab$start[r] & pos <= tab$end[r]
  })
}

# coloc's two datasets for one region, with the variants that cannot be used.
coloc_datasets <- function(rd, type, sdY, call) {
  sides <- c("exposure", "outcome")
  maf <- lapply(stats::setNames(sides, sides), function(side) coloc_maf(rd, side))
  info <- lapply(stats::setNames(sides, sides), function(side) coloc_side(rd, side, type[[side]], sdY[[side]], call))
  need_maf <- vapply(info, function(i) i$type == "quant" && is.null(i$sdY), logical(1))
  keep <- rep(TRUE, nrow(rd))
  dropped <- NULL
  if (any(need_maf)) {
    if (all(is.na(maf$exposure))) {
      side <- sides[need_maf][1]
      abort_mrkit("missing_column",
                  c("coloc needs the minor allele frequency of a quantitative trait whose {.arg sdY_{side}} is not given.",
                    x = "Column {.field eaf.exposure} (or {.field eaf.outcome}) is missing or empty.",
                    i = "Add allele frequencies, or give {.arg sdY_{side}}."), call = call)
    }
    bad <- Reduce(`|`, lapply(maf[need_maf], function(m) is.na(m) | m <= 0))
    dropped <- data.frame(row = which(bad), reason = rep("no allele frequency (eaf) or monomorphic", sum(bad)))
    keep <- !bad
  }
  ds <- lapply(stats::setNames(sides, sides), function(side) {
    i <- info[[side]]
    d <- list(beta = rd[[paste0("beta.", side)]], varbeta = rd[[paste0("se.", side)]]^2,
              snp = rd$SNP, type = i$type, N = i$N)
    if (i$type == "cc") d$s <- i$s
    if (!is.null(i$sdY)) d$sdY <- i$sdY
    if (!all(is.na(maf[[side]]))) d$MAF <- maf[[side]]
    if ("pos.exposure" %in% names(rd)) d$position <- suppressWarnings(as.numeric(rd$pos.exposure))
    coloc_subset(d, keep)
  })
  dup <- duplicated(ds$exposure$snp)
  if (any(dup)) {
    abort_mrkit("duplicate_snp", c("Variants appear more than once in a region: {.val {unique(ds$exposure$snp[dup])}}.",
                                   i = "Keep one row per variant."), call = call)
  }
  est <- sides[vapply(info, function(i) i$type == "quant" && is.null(i$sdY), logical(1))]
  note <- if (length(est)) paste0("sdY of the ", paste(est, collapse = " and "), " estimated by coloc from MAF and N")
  list(datasets = ds, dropped = dropped, note = note)
}

coloc_subset <- function(d, keep) {
  for (k in c("beta", "varbeta", "snp", "MAF", "position")) if (!is.null(d[[k]])) d[[k]] <- d[[k]][keep]
  d
}

# MAF of one side: min(eaf, 1 - eaf) of its own eaf column, else the other side's.
coloc_maf <- function(rd, side) {
  eaf_of <- function(sd) {
    col <- paste0("eaf.", sd)
    if (col %in% names(rd)) suppressWarnings(as.numeric(rd[[col]])) else rep(NA_real_, nrow(rd))
  }
  eaf <- eaf_of(side)
  alt <- eaf_of(setdiff(c("exposure", "outcome"), side))
  eaf[is.na(eaf)] <- alt[is.na(eaf)]
  eaf[!is.na(eaf) & (eaf < 0 | eaf > 1)] <- NA
  pmin(eaf, 1 - eaf)
}

# Trait type, N and case fraction of one side.
coloc_side <- function(rd, side, type, sdY, call) {
  col <- function(x) paste0(x, ".", side)
  num <- function(x) if (col(x) %in% names(rd)) suppressWarnings(as.numeric(rd[[col(x)]])) else rep(NA_real_, nrow(rd))
  ncase <- num("ncase"); ncontrol <- num("ncontrol"); n <- num("samplesize")
  has_cc <- any(!is.na(ncase) & !is.na(ncontrol))
  type <- type %||% if (has_cc) "cc" else "quant"
  if (type == "cc") {
    if (!has_cc) {
      abort_mrkit("missing_column", c("A case-control {side} needs the numbers of cases and controls.",
                                      x = "Columns {.field {col('ncase')}} and {.field {col('ncontrol')}} are missing or empty."),
                  call = call)
    }
    s <- stats::median(ncase / (ncase + ncontrol), na.rm = TRUE)
    N <- stats::median(ncase + ncontrol, na.rm = TRUE)
    return(list(type = "cc", s = s, N = N, sdY = NULL))
  }
  if (all(is.na(n))) n <- ncase + ncontrol
  if (all(is.na(n))) {
    abort_mrkit("missing_column", c("coloc needs the sample size of the {side}.",
                                    x = "Column {.field {col('samplesize')}} is missing or empty."), call = call)
  }
  if (!is.null(sdY) && !(is.numeric(sdY) && length(sdY) == 1L && sdY > 0)) {
    abort_mrkit("parameter", "{.arg sdY_{side}} must be a single positive number.", call = call)
  }
  list(type = "quant", N = stats::median(n, na.rm = TRUE), sdY = sdY)
}

check_coloc_ld <- function(ld, call) {
  ld <- check_ld_matrix(ld, call)
  if (is.null(rownames(ld))) {
    abort_mrkit("ld_matrix", "{.arg ld} must have the SNP ids as row and column names.", call = call)
  }
  ld
}

# LD of a region's variants, from the panel (aligned to the exposure alleles) or from `ld`.
coloc_region_ld <- function(snps, rd, bfile, ld) {
  if (!is.null(bfile)) {
    m <- suppressWarnings(ld_matrix(snps, bfile, with_alleles = FALSE, alleles = rd))
  } else {
    ids <- sub("_.*$", "", rownames(ld))
    m <- ld
    dimnames(m) <- list(ids, ids)
    m <- m[intersect(snps, ids), intersect(snps, ids), drop = FALSE]
  }
  gone <- which(rd$SNP %in% snps & !rd$SNP %in% rownames(m))
  list(ld = m, dropped = data.frame(row = gone, reason = rep("not in the LD reference", length(gone))))
}

# coloc's output, with its console messages silenced.
coloc_run <- function(ds, method, p1, p2, p12, susie_args) {
  quiet <- function(expr) {
    out <- NULL
    utils::capture.output(out <- suppressMessages(suppressWarnings(expr)))
    out
  }
  priors <- list(p1 = p1, p2 = p2, p12 = p12)
  priors <- priors[!vapply(priors, is.null, logical(1))]
  if (method == "abf") {
    return(quiet(do.call(coloc::coloc.abf, c(list(ds$exposure, ds$outcome), priors))))
  }
  quiet(do.call(coloc::coloc.susie, c(list(ds$exposure, ds$outcome), priors, susie_args)))
}

coloc_summary_rows <- function(res, method, nsnps) {
  pp_names <- paste0("PP.H", 0:4)
  if (method == "abf") {
    s <- res$summary
    r <- res$results
    top <- which.max(r$SNP.PP.H4)
    return(data.frame(nsnps = as.integer(s[["nsnps"]]), t(stats::setNames(s[paste0(pp_names, ".abf")], pp_names)),
                      top_snp = as.character(r$snp[top]), top_snp_pp = r$SNP.PP.H4[top],
                      hit.exposure = NA_character_, hit.outcome = NA_character_, note = NA_character_,
                      stringsAsFactors = FALSE, check.names = FALSE))
  }
  s <- res$summary
  if (is.null(s) || !nrow(s)) {
    pp <- stats::setNames(as.list(rep(NA_real_, 5)), pp_names)
    return(data.frame(nsnps = nsnps, pp, top_snp = NA_character_, top_snp_pp = NA_real_,
                      hit.exposure = NA_character_, hit.outcome = NA_character_,
                      note = "SuSiE found no credible set for one of the traits",
                      stringsAsFactors = FALSE, check.names = FALSE))
  }
  s <- as.data.frame(s)
  data.frame(nsnps = as.integer(s$nsnps), s[paste0(pp_names, ".abf")], top_snp = NA_character_,
             top_snp_pp = NA_real_, hit.exposure = as.character(s$hit1), hit.outcome = as.character(s$hit2),
             note = NA_character_, stringsAsFactors = FALSE, check.names = FALSE) |>
    stats::setNames(c("nsnps", pp_names, "top_snp", "top_snp_pp", "hit.exposure", "hit.outcome", "note"))
}
