# LD clumping on a local PLINK reference panel, natively (no plink executable).

#' LD clumping of instruments on a local reference panel
#'
#' Keeps approximately independent variants per exposure by plink 1.9's greedy clumping,
#' computed natively from a PLINK 1 reference panel (`bfile`): within each exposure
#' (`id.exposure`) and chromosome, variants are visited by ascending p-value (ties in
#' input order); a variant not yet clumped with p <= `clump_p1` becomes an index variant
#' and absorbs every not-yet-clumped variant within `clump_kb` kb whose r^2 with it is at
#' least `clump_r2`. The r^2 is plink 1.9's `--clump` measure: r^2 of maximum-likelihood
#' two-locus haplotype frequencies (the closed-form solution of the EM fixed-point cubic),
#' not the squared genotype correlation, over the samples observed at both variants. On the
#' 1000 Genomes EUR test panel, and on a simulated panel with missing genotypes, this gives
#' the same index variants, clumps and r^2 as plink 1.9.
#'
#' Arguments and defaults are those of `TwoSampleMR::clump_data()`. The p-value column is
#' `pval.exposure`, else `pval.outcome`, else every p is 0.99 (as TwoSampleMR). An exposure
#' with a single variant is returned unchanged (as TwoSampleMR). `clump_p2` only matters to
#' plink's printed list of clumped variants, never to which variants are absorbed, so it
#' does not change the result (plink 1.9 behaves so; TwoSampleMR does not pass it to plink).
#' `plink_bin` is accepted for compatibility and unused.
#'
#' The panel stays open in the C++ core between calls while its files are unchanged: its
#' `.bim` in compact arrays (about 8 bytes per variant plus the IDs; variants are looked up
#' there by ID), its `.bed` memory-mapped, read only for the variants clumped and released
#' after each chromosome. Variants with p > `clump_p1` are assigned to their index variant
#' in one pass in position order, so the genotypes held at once are those of the variants
#' with p <= `clump_p1`.
#'
#' Without `bfile` (and without `options(mrkit.bfile)`), the variants are clumped by the
#' OpenGWAS clumping service on its 1000 Genomes panel of `pop`, as 'TwoSampleMR' does
#' (through \pkg{ieugwasr}; a token is needed, see [available_outcomes()]); the service
#' does not say whether a variant was removed for LD or for being absent from its panel
#' (status `"removed_by_server"`). `bfile = ld_reference(pop)` clumps the same way
#' locally, offline.
#'
#' @param dat Exposure table (from [format_data()] or [read_exposure_data()]); one call
#'   clumps every `id.exposure` separately.
#' @param clump_kb Window in kb.
#' @param clump_r2 r^2 threshold (variants with r^2 >= this are absorbed).
#' @param clump_p1 p-value threshold for index variants.
#' @param clump_p2 Secondary threshold; see Details (no effect on the result).
#' @param pop Super-population of the OpenGWAS clumping service (`"EUR"`, `"AFR"`,
#'   `"AMR"`, `"EAS"`, `"SAS"`); used only without `bfile`.
#' @param bfile Path prefix of a PLINK 1 reference panel (.bed/.bim/.fam), for example
#'   `ld_reference("EUR")`; default `options(mrkit.bfile)`. `NULL`: the OpenGWAS service.
#' @param plink_bin Unused (mrkit needs no plink executable).
#' @param threads Number of threads (exposures x chromosomes run in parallel; the result
#'   is the same for any number).
#' @param access_token,opengwas_jwt OpenGWAS token for the clumping service; see
#'   [available_outcomes()].
#' @return The rows of `dat` kept as index variants, in input order, with the attribute
#'   `clump_report`: one row per input row with `SNP`, `id.exposure`, `pval`, `status`
#'   (`"index"`, `"clumped"`, `"absent"`, `"missing_p"`, `"above_p1"`, `"single"`,
#'   `"removed_by_server"`),
#'   `index_snp`, `r2` and a readable `reason`; the attribute `provenance` of `dat`
#'   (from [extract_instruments()]) is kept.
#' @export
#' @examples
#' bfile <- example_panel()
#' bim <- utils::read.table(paste0(bfile, ".bim"))
#' set.seed(1)
#' dat <- data.frame(SNP = bim$V2[1:200], pval.exposure = runif(200)^4, id.exposure = "x")
#' kept <- clump_data(dat, clump_r2 = 0.1, clump_kb = 250, bfile = bfile)
#' nrow(kept)
#' head(attr(kept, "clump_report"))
clump_data <- function(dat, clump_kb = 10000, clump_r2 = 0.001, clump_p1 = 1, clump_p2 = 1,
                       pop = "EUR", bfile = getOption("mrkit.bfile"), plink_bin = NULL,
                       threads = getOption("mrkit.threads", 1L), access_token = NULL,
                       opengwas_jwt = NULL) {
  check_columns(dat, "SNP")
  server <- is.null(bfile)
  if (server && !has_package("ieugwasr")) check_bfile(bfile)
  prefix <- if (server) NULL else check_bfile(bfile)
  check_clump_number(clump_kb, "clump_kb", lower = 0)
  check_clump_number(clump_r2, "clump_r2", lower = 0, upper = 1)
  check_clump_number(clump_p1, "clump_p1", lower = 0)
  check_clump_number(clump_p2, "clump_p2", lower = 0)
  threads <- check_threads(threads)
  n <- nrow(dat)
  p <- if ("pval.exposure" %in% names(dat)) {
    dat$pval.exposure
  } else if ("pval.outcome" %in% names(dat)) {
    dat$pval.outcome
  } else {
    rep(0.99, n)
  }
  if (!is.numeric(p)) {
    abort_mrkit("input_type", "The p-value column of {.arg dat} must be numeric, not {.cls {class(p)}}.")
  }
  id <- if ("id.exposure" %in% names(dat)) as.character(dat$id.exposure) else rep(random_ids("exposure"), n)
  snp <- as.character(dat$SNP)
  if (server) return(clump_on_server(dat, snp, p, id, clump_kb, clump_r2, clump_p1, pop,
                                     opengwas_token(access_token, opengwas_jwt)))
  # The panel stays in the C++ core (compact .bim, memory-mapped .bed); variants are looked
  # up there by ID, so no copy of the .bim is made in R.
  panel_open(prefix)
  group <- if (n > 0L && all(id == id[1L])) rep(1L, n) else match(id, unique(id))
  res <- call_core(cpp_clump(prefix, snp, as.double(p), group - 1L, clump_kb, clump_r2, clump_p1, threads),
                   what = "LD clumping")
  code <- res$status + 1L  # index, clumped, absent, missing_p, above_p1; 6 = single
  code[group %in% which(tabulate(group, max(group, 0L)) == 1L)] <- 6L
  status <- clump_statuses[code]
  index_snp <- rep(NA_character_, n)
  has_index <- res$index_row >= 0
  index_snp[has_index] <- snp[res$index_row[has_index] + 1]
  r2 <- res$r2
  r2[code != 2L] <- NA_real_
  reason <- clump_reasons[code]
  cl <- which(code == 2L)
  reason[cl] <- sprintf("clumped by %s (r2 = %.4g)", index_snp[cl], r2[cl])
  report <- data.frame(SNP = snp, id.exposure = id, pval = p, status = status,
                       index_snp = index_snp, r2 = r2, reason = reason, stringsAsFactors = FALSE)
  absent <- snp[status == "absent"]
  if (length(absent)) {
    warn_mrkit("clump_absent",
               c("{length(absent)} variant{?s} not in the LD reference panel {?was/were} removed: {.val {utils::head(absent, 5)}}{if (length(absent) > 5) ' ...' else ''}.",
                 i = "See {.code attr(x, \"clump_report\")}."))
  }
  keep <- status %in% c("index", "single")
  out <- dat[keep, , drop = FALSE]
  attr(out, "clump_report") <- report
  attr(out, "provenance") <- attr(dat, "provenance")
  out
}

# clump_data() without a panel: the OpenGWAS clumping service decides per exposure.
clump_on_server <- function(dat, snp, p, id, clump_kb, clump_r2, clump_p1, pop, token,
                            call = rlang::caller_env()) {
  cli::cli_inform(c(i = "Clumping on the OpenGWAS server (1000 Genomes {pop}); {.code bfile = ld_reference(\"{pop}\")} clumps locally."),
                  class = "mrkit_message_clump_server")
  ok <- !is.na(p) & p <= clump_p1
  keep <- rep(FALSE, length(snp))
  keep[ok] <- opengwas_clump(snp[ok], p[ok], id[ok], clump_kb, clump_r2, clump_p1, pop, token, call = call)
  single <- id %in% names(which(table(id) == 1L))
  keep[single] <- TRUE
  status <- ifelse(single, "single", ifelse(is.na(p), "missing_p", ifelse(!ok, "above_p1",
                   ifelse(keep, "index", "removed_by_server"))))
  reason <- clump_reason(status, rep(NA_character_, length(snp)), rep(NA_real_, length(snp)))
  report <- data.frame(SNP = snp, id.exposure = id, pval = p, status = status,
                       index_snp = NA_character_, r2 = NA_real_, reason = reason, stringsAsFactors = FALSE)
  out <- dat[keep, , drop = FALSE]
  attr(out, "clump_report") <- report
  attr(out, "provenance") <- attr(dat, "provenance")
  out
}

# Statuses of the clumping report (in the core's order, then "single") and their reasons.
clump_statuses <- c("index", "clumped", "absent", "missing_p", "above_p1", "single", "removed_by_server")
clump_reasons <- c("index SNP", NA, "absent from the LD reference panel", "missing p-value", "p above clump_p1",
                   "only variant of its exposure (kept unchanged)",
                   "removed by the OpenGWAS clumping service (in LD with a kept variant, or absent from its panel)")

clump_reason <- function(status, index_snp, r2) {
  out <- clump_reasons[match(status, clump_statuses)]
  cl <- which(status == "clumped")
  out[cl] <- sprintf("clumped by %s (r2 = %.4g)", index_snp[cl], r2[cl])
  out
}

check_clump_number <- function(x, name, lower = -Inf, upper = Inf, call = rlang::caller_env()) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < lower || x > upper) {
    abort_mrkit("parameter", "{.arg {name}} must be a single number in [{lower}, {upper}].", call = call)
  }
  invisible(x)
}
