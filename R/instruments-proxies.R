# Look-up of instruments in outcome data, with LD proxies from a local reference panel.

#' Extract instruments from outcome data, with LD proxies
#'
#' Local counterpart of `TwoSampleMR::extract_outcome_data()`: takes the rows of the
#' outcome data for `snps` and, with `proxies = TRUE`, replaces every instrument missing
#' from an outcome by its best LD proxy present in that outcome, from the reference panel
#' `bfile`. The best proxy is the variant within `proxy_window_kb` kb (same chromosome) of
#' highest r^2 (squared correlation of genotype dosages, as `plink --r`), if that is at
#' least `rsq`; ties go to the nearer variant. The proxy's alleles are translated to the
#' target's through the phase of the correlation (panel A1 of the target pairs with A1 of
#' the proxy when r > 0 and with A2 when r < 0), so `beta.outcome` refers to the target's
#' allele named in `effect_allele.outcome` (as `gwasvcf::proxy_match`).
#'
#' Candidate proxies are the outcome's variants that are in the panel with matching
#' alleles and are not themselves among `snps`. With `palindromes = 1` a palindromic
#' (A/T, C/G) proxy is allowed only when its minor allele frequency in the panel is below
#' `maf_threshold`; with `palindromes = 0` never. If two targets map to the same proxy,
#' only the first target (in the order of `snps`) keeps it.
#'
#' @param snps Instrument ids (e.g. `exposure_dat$SNP`).
#' @param outcomes An outcome table ([format_data()] with `type = "outcome"`), a list of
#'   them, or paths of files in any format that [read_sumstats()] reads (read with
#'   [read_outcome_data()]; with `proxies = FALSE` only the rows of `snps` are kept).
#' @param proxies Look for LD proxies of missing instruments.
#' @param rsq Minimum r^2 between target and proxy.
#' @param align_alleles `1`: report the proxy's alleles translated to the target's;
#'   `0`: keep the proxy's own alleles in `effect_allele.outcome` / `other_allele.outcome`.
#' @param palindromes `1`: allow palindromic proxies with MAF < `maf_threshold`; `0`: none.
#' @param maf_threshold See `palindromes`.
#' @param bfile Path prefix of a PLINK 1 reference panel; needed only when `proxies = TRUE`
#'   and an instrument is missing from an outcome (then its absence is an error of class
#'   `mrkit_error_bfile_missing`).
#' @param proxy_window_kb Window (kb) around each target in which proxies are sought.
#' @param threads Number of threads.
#' @param ... Further arguments to [read_outcome_data()] when `outcomes` are file paths
#'   (for example `sep`).
#' @return The outcome rows for the instruments (direct rows first, then proxies), with
#'   TwoSampleMR's proxy columns `proxy.outcome` (`FALSE` for direct rows),
#'   `target_snp.outcome`, `proxy_snp.outcome`, `target_a1.outcome`, `target_a2.outcome`,
#'   `proxy_a1.outcome`, `proxy_a2.outcome`, and the attribute `proxy_report` with each
#'   (instrument, outcome): `found` (`"direct"`, `"proxy"`, `"not found"`), `proxy_snp`,
#'   `r2` and `reason`.
#' @export
#' @examples
#' bfile <- example_panel()
#' bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)
#' out <- data.frame(SNP = bim$V2[2:20], beta.outcome = 0.1, se.outcome = 0.02,
#'                   effect_allele.outcome = bim$V5[2:20], other_allele.outcome = bim$V6[2:20],
#'                   pval.outcome = 1e-6, id.outcome = "y", outcome = "Y")
#' res <- extract_outcome_data(bim$V2[1:3], out, bfile = bfile)
#' res[, c("SNP", "proxy.outcome", "proxy_snp.outcome", "effect_allele.outcome")]
#' attr(res, "proxy_report")
extract_outcome_data <- function(snps, outcomes, proxies = TRUE, rsq = 0.8, align_alleles = 1,
                                 palindromes = 1, maf_threshold = 0.3, bfile = NULL,
                                 proxy_window_kb = 5000, threads = getOption("mrkit.threads", 1L),
                                 ...) {
  if (!is.character(snps) && !is.factor(snps)) {
    abort_mrkit("input_type", "{.arg snps} must be a character vector of variant ids.")
  }
  snps <- unique(as.character(snps[!is.na(snps)]))
  check_clump_number(rsq, "rsq", 0, 1)
  check_clump_number(maf_threshold, "maf_threshold", 0, 0.5)
  check_clump_number(proxy_window_kb, "proxy_window_kb", 0)
  if (!align_alleles %in% c(0, 1)) abort_mrkit("parameter", "{.arg align_alleles} must be 0 or 1.")
  if (!palindromes %in% c(0, 1)) abort_mrkit("parameter", "{.arg palindromes} must be 0 or 1.")
  if (!is.logical(proxies) || length(proxies) != 1L || is.na(proxies)) {
    abort_mrkit("parameter", "{.arg proxies} must be TRUE or FALSE.")
  }
  threads <- check_threads(threads)
  out <- outcome_tables(outcomes, snps = if (proxies || !length(snps)) NULL else snps, ...)
  check_columns(out, c("SNP", "effect_allele.outcome", "other_allele.outcome"), what = "outcomes")
  if (!"id.outcome" %in% names(out)) out$id.outcome <- random_ids(rep("outcome", nrow(out)))
  out$SNP <- as.character(out$SNP)
  ids <- unique(as.character(out$id.outcome))
  # The panel is needed only when some instrument is missing from some outcome.
  prefix <- NULL
  any_missing <- any(vapply(ids, function(id) !all(snps %in% out$SNP[out$id.outcome == id]), logical(1)))
  if (proxies && any_missing) {
    if (is.null(bfile)) {
      n_miss <- sum(vapply(ids, function(id) sum(!snps %in% out$SNP[out$id.outcome == id]), 1L))
      abort_mrkit("bfile_missing",
                  c("{n_miss} instrument{?s} {?is/are} missing from the outcome data, and LD proxies need a reference panel: {.arg bfile} is missing.",
                    i = "Give {.arg bfile}, the path prefix of a PLINK .bed/.bim/.fam reference panel of the GWAS population.",
                    i = "Or use {.code proxies = FALSE} to leave the missing instruments out."))
    }
    prefix <- check_bfile(bfile)
    info <- panel_info(prefix)
  }
  rows <- list(); reports <- list()
  for (id in ids) {
    o <- out[out$id.outcome == id, , drop = FALSE]
    direct <- o[o$SNP %in% snps, , drop = FALSE]
    direct <- direct[!duplicated(direct$SNP), , drop = FALSE]
    missing <- setdiff(snps, direct$SNP)
    rep <- data.frame(SNP = snps, id.outcome = rep(id, length(snps)), found = ifelse(snps %in% direct$SNP, "direct", "not found"),
                      proxy_snp = rep(NA_character_, length(snps)), r2 = rep(NA_real_, length(snps)),
                      reason = ifelse(snps %in% direct$SNP, "in the outcome data",
                                      if (proxies) "no proxy with r2 >= rsq in the outcome" else "proxies not requested"),
                      stringsAsFactors = FALSE)
    if (nrow(direct)) direct$proxy.outcome <- FALSE
    prox <- NULL
    if (!is.null(prefix) && length(missing)) {
      found <- find_proxies(missing, o, snps, info, prefix, rsq, palindromes, maf_threshold,
                            proxy_window_kb, threads)
      rep$reason[rep$SNP %in% missing[is.na(match(missing, info$SNP))]] <- "absent from the LD reference panel"
      if (!is.null(found)) {
        prox <- build_proxy_rows(found, o, info, align_alleles)
        k <- match(found$target, rep$SNP)
        rep$found[k] <- "proxy"; rep$proxy_snp[k] <- found$proxy; rep$r2[k] <- found$r^2
        rep$reason[k] <- sprintf("proxy %s (r2 = %.4g)", found$proxy, found$r^2)
      }
    }
    rows[[length(rows) + 1L]] <- direct
    if (!is.null(prox)) rows[[length(rows) + 1L]] <- prox
    reports[[id]] <- rep
  }
  res <- bind_rows_fill(rows, template = out[0, , drop = FALSE])
  if (proxies) {
    for (col in c("target_snp.outcome", "proxy_snp.outcome", "target_a1.outcome", "target_a2.outcome",
                  "proxy_a1.outcome", "proxy_a2.outcome")) {
      if (!col %in% names(res)) res[[col]] <- rep(NA_character_, nrow(res))
    }
    if (!"proxy.outcome" %in% names(res)) res$proxy.outcome <- rep(FALSE, nrow(res))
  }
  rownames(res) <- NULL
  report <- do.call(rbind, unname(reports))
  rownames(report) <- NULL
  attr(res, "proxy_report") <- report
  res
}

# Outcome data given as a table, a list of tables or file paths -> one data frame.
outcome_tables <- function(outcomes, snps = NULL, ..., call = rlang::caller_env()) {
  if (is.character(outcomes)) {
    absent <- outcomes[!file.exists(outcomes)]
    if (length(absent)) {
      abort_mrkit("file_not_found", "Outcome file{?s} {.file {absent}} not found.", call = call)
    }
    outcomes <- lapply(outcomes, read_outcome_data, snps = snps, ...)
  }
  if (is.data.frame(outcomes)) return(as.data.frame(outcomes, stringsAsFactors = FALSE))
  if (is.list(outcomes) && length(outcomes) && all(vapply(outcomes, is.data.frame, logical(1)))) {
    return(bind_rows_fill(lapply(outcomes, as.data.frame, stringsAsFactors = FALSE)))
  }
  abort_mrkit("input_type",
              "{.arg outcomes} must be an outcome table, a list of them, or file paths.", call = call)
}

# rbind of data frames with different columns (absent columns filled with NA).
bind_rows_fill <- function(dfs, template = NULL) {
  dfs <- Filter(function(d) !is.null(d), dfs)
  if (!length(dfs)) return(template)
  cols <- unique(unlist(c(if (!is.null(template)) list(names(template)), lapply(dfs, names))))
  dfs <- lapply(dfs, function(d) {
    for (c in setdiff(cols, names(d))) d[[c]] <- rep(NA, nrow(d))
    d[, cols, drop = FALSE]
  })
  do.call(rbind, dfs)
}

# Best proxy per missing target among the outcome's usable variants.
find_proxies <- function(missing, o, snps, info, prefix, rsq, palindromes, maf_threshold,
                         window_kb, threads) {
  tidx <- match(missing, info$SNP)
  targets <- missing[!is.na(tidx)]
  tidx <- tidx[!is.na(tidx)]
  if (!length(targets)) return(NULL)
  cand <- o[!o$SNP %in% snps & !duplicated(o$SNP), , drop = FALSE]
  cidx <- match(cand$SNP, info$SNP)
  ok <- !is.na(cidx)
  cand <- cand[ok, , drop = FALSE]; cidx <- cidx[ok]
  if (!length(cidx)) return(NULL)
  a1 <- toupper(info$A1[cidx]); a2 <- toupper(info$A2[cidx])
  ea <- toupper(as.character(cand$effect_allele.outcome))
  oa <- toupper(as.character(cand$other_allele.outcome))
  ok <- (ea == a1 & oa == a2) | (ea == a2 & oa == a1)
  ok[is.na(ok)] <- FALSE
  pal <- is_palindromic(a1, a2) %in% TRUE
  if (any(pal & ok)) {
    if (palindromes == 0) {
      ok[pal] <- FALSE
    } else {
      f <- call_core(cpp_panel_freq(prefix, cidx[pal & ok] - 1L), what = "the panel reader")
      maf <- pmin(f, 1 - f)
      ok[which(pal & ok)[!(maf < maf_threshold)]] <- FALSE
    }
  }
  cand <- cand[ok, , drop = FALSE]; cidx <- cidx[ok]
  if (!length(cidx)) return(NULL)
  hit <- call_core(cpp_best_proxies(prefix, tidx - 1L, cidx - 1L, window_kb * 1000, rsq, threads),
                   what = "the proxy search")
  has <- hit$candidate >= 0
  if (!any(has)) return(NULL)
  found <- data.frame(target = targets[has], target_idx = tidx[has],
                      proxy = cand$SNP[hit$candidate[has] + 1], proxy_idx = cidx[hit$candidate[has] + 1],
                      r = hit$r[has], stringsAsFactors = FALSE)
  found <- found[order(match(found$target, snps)), , drop = FALSE]
  found[!duplicated(found$proxy), , drop = FALSE]
}

# Outcome rows of the proxies, relabelled as their targets.
build_proxy_rows <- function(found, o, info, align_alleles) {
  rows <- o[match(found$proxy, o$SNP), , drop = FALSE]
  ea <- as.character(rows$effect_allele.outcome); oa <- as.character(rows$other_allele.outcome)
  pa1 <- toupper(info$A1[found$proxy_idx])
  ta1 <- info$A1[found$target_idx]; ta2 <- info$A2[found$target_idx]
  # The target allele in phase with the proxy's effect allele.
  ea_is_a1 <- toupper(ea) == pa1
  same <- ea_is_a1 == (found$r > 0)
  t_ea <- ifelse(same, ta1, ta2); t_oa <- ifelse(same, ta2, ta1)
  rows$SNP <- found$target
  rows$proxy.outcome <- TRUE
  rows$target_snp.outcome <- found$target
  rows$proxy_snp.outcome <- found$proxy
  rows$target_a1.outcome <- t_ea
  rows$target_a2.outcome <- t_oa
  rows$proxy_a1.outcome <- ea
  rows$proxy_a2.outcome <- oa
  if (align_alleles == 1) {
    rows$effect_allele.outcome <- t_ea
    rows$other_allele.outcome <- t_oa
  }
  like <- function(new, old) if (is.numeric(old)) suppressWarnings(as.numeric(new)) else as.character(new)
  if ("chr.outcome" %in% names(rows)) rows$chr.outcome <- like(info$chr[found$target_idx], rows$chr.outcome)
  if ("pos.outcome" %in% names(rows)) rows$pos.outcome <- like(info$pos[found$target_idx], rows$pos.outcome)
  rows
}
