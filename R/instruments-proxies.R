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
#'   them, or a character vector of file paths (any format that [read_sumstats()] reads)
#'   and OpenGWAS ids. An id resolves to its GWAS-VCF file `gwas_dir/<id>/<id>.vcf.gz` when
#'   that exists, else to the OpenGWAS server (see Details). Files are read for the rows
#'   needed only: the instruments and, when some are missing, the panel's variants within
#'   `proxy_window_kb` of them with r^2 >= `rsq` (the only possible proxies).
#' @param proxies Look for LD proxies of missing instruments.
#' @param rsq Minimum r^2 between target and proxy.
#' @param align_alleles `1`: report the proxy's alleles translated to the target's;
#'   `0`: keep the proxy's own alleles in `effect_allele.outcome` / `other_allele.outcome`.
#' @param palindromes `1`: allow palindromic proxies with MAF < `maf_threshold`; `0`: none.
#' @param maf_threshold See `palindromes`.
#' @param access_token,opengwas_jwt OpenGWAS token for server ids; see
#'   [available_outcomes()].
#' @param bfile Path prefix of a PLINK 1 reference panel, for example
#'   `ld_reference("EUR")` (default `options(mrkit.bfile)`); needed only when `proxies =
#'   TRUE` and an instrument is missing from local outcome data (then its absence is an
#'   error of class `mrkit_error_bfile_missing`). Server ids get their proxies from the
#'   server.
#' @param proxy_window_kb Window (kb) around each target in which proxies are sought.
#' @param threads Number of threads.
#' @param gwas_dir Directory of downloaded OpenGWAS files (default `options(mrkit.gwas_dir)`).
#' @param pop Super-population of the server's LD proxies.
#' @param positions Optional positions of `snps`: a data frame with `SNP` and chromosome
#'   and position columns, such as the exposure data (`chr.exposure`, `pos.exposure`).
#'   Outcome files that are bgzipped with a tabix/CSI index next to them (as OpenGWAS
#'   VCFs are) are then read only where the instruments (and, with `bfile`, their proxy
#'   candidates, at the panel's positions) lie, instead of whole. Positions must be on the
#'   outcome file's genome build.
#' @param ... Further arguments to [read_outcome_data()] when `outcomes` are file paths
#'   (for example `sep`).
#' @return The outcome rows for the instruments (direct rows first, then proxies), with
#'   TwoSampleMR's proxy columns `proxy.outcome` (`FALSE` for direct rows),
#'   `target_snp.outcome`, `proxy_snp.outcome`, `target_a1.outcome`, `target_a2.outcome`,
#'   `proxy_a1.outcome`, `proxy_a2.outcome`, and the attribute `proxy_report` with each
#'   (instrument, outcome): `found` (`"direct"`, `"proxy"`, `"not found"`), `proxy_snp`,
#'   `r2` and `reason`. Rows of OpenGWAS ids (from the server or a local GWAS-VCF) have
#'   `data_source.outcome = "igd"`, and the attribute `provenance` lists every dataset
#'   read by id or path (`id`, `source`, `location`, `build`, `retrieved`).
#' @section OpenGWAS:
#' Ids without a local file are looked up on the server through \pkg{ieugwasr}, as
#' 'TwoSampleMR' does: first every instrument without proxies, then, per dataset, the
#' missing ones with the server's proxies (1000 Genomes `pop`, `rsq`, `align_alleles`,
#' `palindromes`, `maf_threshold`). Rows come in 'TwoSampleMR''s layout (`SNP`, `chr`,
#' `pos`, `beta.outcome`, ..., `outcome = "<trait> || id:<id>"`, `originalname.outcome`,
#' `mr_keep.outcome`, `data_source.outcome = "igd"`). Failures are classed errors; see
#' [available_outcomes()].
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
#'
#' # An OpenGWAS id whose GWAS-VCF file is on disk
#' dir <- tempfile()
#' write_gwas_vcf(example_outcome, file.path(dir, "ieu-a-7", "ieu-a-7.vcf.gz"), id = "ieu-a-7")
#' y <- extract_outcome_data(example_exposure$SNP, "ieu-a-7", gwas_dir = dir, bfile = bfile)
#' table(y$proxy.outcome)
#' unlink(dir, recursive = TRUE)
extract_outcome_data <- function(snps, outcomes, proxies = TRUE, rsq = 0.8, align_alleles = 1,
                                 palindromes = 1, maf_threshold = 0.3, access_token = NULL,
                                 bfile = getOption("mrkit.bfile"), proxy_window_kb = 5000,
                                 threads = getOption("mrkit.threads", 1L),
                                 gwas_dir = getOption("mrkit.gwas_dir"), opengwas_jwt = NULL,
                                 pop = "EUR", positions = NULL, ...) {
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
  server_ids <- character()
  prov <- NULL
  if (is.character(outcomes)) {
    src <- opengwas_sources(outcomes, opengwas_gwas_dir(gwas_dir), "Outcome")
    server_ids <- src$source[src$kind == "server_id"]
    src <- src[src$kind != "server_id", , drop = FALSE]
    outcomes <- if (nrow(src)) {
      read_local_outcomes(src, snps, proxies, bfile, proxy_window_kb, rsq, threads, positions = positions, ...)
    }
    prov <- attr(outcomes, "provenance")
  }
  res <- if (!is.null(outcomes)) {
    extract_outcome_local(snps, outcome_tables(outcomes), proxies, align_alleles, rsq,
                          palindromes, maf_threshold, bfile, proxy_window_kb, threads)
  }
  if (length(server_ids)) {
    token <- opengwas_token(access_token, opengwas_jwt)
    info <- opengwas_info(server_ids, token, what = paste0("the metadata of ", paste(server_ids, collapse = ", ")))
    srv <- opengwas_outcome_data(snps, server_ids, proxies, rsq, align_alleles, palindromes,
                                 maf_threshold, pop, token)
    report <- rbind(attr(res, "proxy_report"), opengwas_proxy_report(snps, server_ids, srv))
    res <- bind_rows_fill(list(res, srv))
    if (!is.null(res)) rownames(res) <- NULL
    if (is.null(res)) res <- data.frame(SNP = character(), stringsAsFactors = FALSE)
    attr(res, "proxy_report") <- report
    prov <- bind_provenance(prov, opengwas_provenance(info))
  }
  if (!is.null(prov)) attr(res, "provenance") <- prov
  res
}

# Outcome files and local GWAS-VCF files by id, read for the rows needed: the instruments,
# then (when proxies are wanted, some are missing and a panel is given) the LD partners of
# the missing ones (panel variants within the proxy window with r^2 >= rsq).
read_local_outcomes <- function(src, snps, proxies, bfile, window_kb, rsq, threads, positions = NULL, ...,
                                call = rlang::caller_env()) {
  # A file with none of `keep` is read whole (so that its columns are known).
  read_one <- function(k, keep, pos = positions) {
    tryCatch(read_filtered(k, keep, pos),
             mrkit_error_no_snps = function(e) read_filtered(k, NULL, NULL)[0, , drop = FALSE])
  }
  read_filtered <- function(k, keep, pos) {
    if (src$kind[k] == "local_id") {
      id <- src$source[k]
      d <- read_sumstats(src$file[k], format = "gwas_vcf", type = "outcome", snps = keep,
                         id = id, phenotype = id, verbose = FALSE, positions = pos)
      attr(d, "read_report") <- NULL
      d$data_source.outcome <- rep("igd", nrow(d))
      d
    } else {
      read_outcome_data(src$file[k], snps = keep, positions = pos, ...)
    }
  }
  keep <- if (length(snps)) snps else NULL
  positions <- tabix_positions(positions, call = call)
  tabs <- lapply(seq_len(nrow(src)), read_one, keep = keep)
  if (proxies && length(snps) && !is.null(bfile)) {
    for (k in seq_along(tabs)) {
      missing <- setdiff(snps, as.character(tabs[[k]]$SNP))
      if (!length(missing)) next
      prefix <- check_bfile(bfile, call = call)
      cand <- unique(proxy_ld_partners(missing, prefix, window_kb, rsq, threads)$SNP)
      if (length(cand)) tabs[[k]] <- read_one(k, unique(c(snps, cand)), proxy_positions(positions, cand, prefix))
    }
  }
  prov <- do.call(rbind, lapply(seq_len(nrow(src)), function(k) {
    is_id <- src$kind[k] == "local_id"
    provenance_row(if (is_id) src$source[k] else as.character(tabs[[k]]$id.outcome[1]),
                   if (is_id) "GWAS-VCF file" else "file", normalizePath(src$file[k]),
                   if (is_id) vcf_build(src$file[k]) else NA_character_)
  }))
  attr(tabs, "provenance") <- prov
  tabs
}

# The instruments' positions and the panel's positions of the proxy candidates (for an
# indexed read of the proxies; NULL without instrument positions).
proxy_positions <- function(positions, cand, prefix) {
  if (is.null(positions)) return(NULL)
  info <- panel_rows(prefix, panel_match(prefix, cand))
  rbind(positions, data.frame(SNP = cand, chr = sub("^chr", "", as.character(info$chr), ignore.case = TRUE),
                              pos = as.numeric(info$pos), stringsAsFactors = FALSE))
}

# The possible LD proxies of `targets`: every panel variant within window_kb (same
# chromosome) whose dosage r^2 with a target is at least rsq (computed as the proxy search
# computes it, so the best proxy among them is the best among the whole window).
# A data frame (target, SNP, r), grouped by target in the order of `targets`.
proxy_ld_partners <- function(targets, prefix, window_kb, rsq, threads = 1L) {
  targets <- unique(as.character(targets))
  t <- panel_match(prefix, targets)
  targets <- targets[!is.na(t)]
  t <- t[!is.na(t)]
  none <- data.frame(target = character(), SNP = character(), r = numeric(), stringsAsFactors = FALSE)
  if (!length(t)) return(none)
  hit <- call_core(cpp_ld_partners(prefix, t - 1L, window_kb * 1000, rsq, threads), what = "the proxy search")
  if (!length(hit$variant)) return(none)
  data.frame(target = targets[hit$target + 1L], SNP = panel_rows(prefix, hit$variant + 1L)$SNP, r = hit$r,
             stringsAsFactors = FALSE)
}

# The lookup in local outcome tables, with proxies from the panel.
extract_outcome_local <- function(snps, out, proxies, align_alleles, rsq, palindromes, maf_threshold,
                                  bfile, proxy_window_kb, threads, call = rlang::caller_env()) {
  check_columns(out, c("SNP", "effect_allele.outcome", "other_allele.outcome"), what = "outcomes", call = call)
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
                    i = "Give {.code bfile = ld_reference(\"EUR\")} (the 1000 Genomes panel of the GWAS population, downloaded once), or the path prefix of any PLINK .bed/.bim/.fam panel.",
                    i = "Or use {.code proxies = FALSE} to leave the missing instruments out."),
                  call = call)
    }
    prefix <- check_bfile(bfile, call = call)
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
      found <- find_proxies(missing, o, snps, prefix, rsq, palindromes, maf_threshold,
                            proxy_window_kb, threads)
      rep$reason[rep$SNP %in% missing[is.na(panel_match(prefix, missing))]] <- "absent from the LD reference panel"
      if (!is.null(found)) {
        prox <- build_proxy_rows(found, o, prefix, align_alleles)
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

# Outcome data given as a table or a list of tables -> one data frame.
outcome_tables <- function(outcomes, call = rlang::caller_env()) {
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
  if (!is.null(template)) {  # the template's columns first
    d <- dfs[[1]]
    for (m in setdiff(names(template), names(d))) d[[m]] <- rep(NA, nrow(d))
    dfs[[1]] <- d[union(names(template), names(d))]
  }
  bind_frames(dfs)
}

# Best proxy per missing target among the outcome's usable variants.
find_proxies <- function(missing, o, snps, prefix, rsq, palindromes, maf_threshold,
                         window_kb, threads) {
  tidx <- panel_match(prefix, missing)
  targets <- missing[!is.na(tidx)]
  tidx <- tidx[!is.na(tidx)]
  if (!length(targets)) return(NULL)
  cand <- o[!o$SNP %in% snps & !duplicated(o$SNP), , drop = FALSE]
  cidx <- panel_match(prefix, cand$SNP)
  ok <- !is.na(cidx)
  cand <- cand[ok, , drop = FALSE]; cidx <- cidx[ok]
  if (!length(cidx)) return(NULL)
  crow <- panel_rows(prefix, cidx)
  a1 <- toupper(crow$A1); a2 <- toupper(crow$A2)
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
build_proxy_rows <- function(found, o, prefix, align_alleles) {
  prow <- panel_rows(prefix, found$proxy_idx)
  trow <- panel_rows(prefix, found$target_idx)
  rows <- o[match(found$proxy, o$SNP), , drop = FALSE]
  ea <- as.character(rows$effect_allele.outcome); oa <- as.character(rows$other_allele.outcome)
  pa1 <- toupper(prow$A1)
  ta1 <- trow$A1; ta2 <- trow$A2
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
  if ("chr.outcome" %in% names(rows)) rows$chr.outcome <- like(trow$chr, rows$chr.outcome)
  if ("pos.outcome" %in% names(rows)) rows$pos.outcome <- like(trow$pos, rows$pos.outcome)
  rows
}
