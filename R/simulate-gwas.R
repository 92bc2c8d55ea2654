#' Simulate exposure and outcome GWAS files on a simulated LD panel
#'
#' Writes genome-wide summary statistics of an exposure and an outcome for every variant of
#' a panel made by [simulate_ld_panel()], with a known causal effect `b`, so that the whole
#' instrument pipeline (reading, clumping, proxies, harmonisation, estimation) can be run
#' on files with a known answer, as [mr_pipeline()] does.
#'
#' In `n_causal` randomly chosen LD blocks, one lead variant carries a per-allele effect on
#' the exposure `gamma_k` (random sign, size giving a lead z-statistic of about
#' `sqrt(fstat)`); the outcome's causal effects are `b * gamma_k` (no pleiotropy), plus,
#' when `pleiotropy_sd > 0`, a direct effect of the lead on the outcome. The other variants
#' carry these effects through LD and every variant's sampling error is correlated with its
#' neighbours' as their genotypes are: marginal effects and observed effects come from
#' [simulate_marginal_effects()] (the panel's population LD, allele frequencies of its
#' model, standard errors `1 / sqrt(2 q (1 - q) N)`). A random half of the rows report the A2
#' allele as effect allele. Files are tab-separated, gzip-compressed when the name ends in
#' `.gz`, in GWAS Catalog GWAS-SSF layout (`format = "gwas_ssf"`), FinnGen layout
#' (`"finngen"`: `#chrom, pos, ref, alt, rsids, nearest_genes, pval, mlogp, beta, sebeta,
#' af_alt`, the effect allele in `alt`; no sample-size column) or TwoSampleMR layout.
#'
#' @param panel The result of [simulate_ld_panel()] (a list with `bfile` and `variants`).
#' @param exposure_file,outcome_file Paths of the files to write.
#' @param b True causal effect of the exposure on the outcome.
#' @param n_causal Number of causal LD blocks.
#' @param n_exposure,n_outcome GWAS sample sizes.
#' @param fstat Approximate F-statistic of the lead variants.
#' @param decay Unused, kept for compatibility: the marginal effects now follow the
#'   panel's LD (before, they decayed as `exp(-decay * distance)` from the lead).
#' @param pleiotropy_sd SD of the leads' direct (pleiotropic) effects on the outcome, in
#'   units of the lead's exposure effect.
#' @param drop_from_outcome Number of lead variants removed from the outcome file (to
#'   exercise LD proxies).
#' @param format `"gwas_ssf"`, `"finngen"` or `"twosamplemr"`.
#' @param seed Optional seed; the global RNG state is restored afterwards.
#' @return Invisibly, a list with the file paths and the truth: `b`, the causal blocks,
#'   their lead variants and the leads dropped from the outcome.
#' @export
#' @examples
#' dir <- tempfile()
#' dir.create(dir)
#' panel <- simulate_ld_panel(200, 600, block_size = 30, prefix = file.path(dir, "panel"), seed = 1)
#' sim <- simulate_gwas_files(panel, file.path(dir, "exp.tsv.gz"), file.path(dir, "out.tsv.gz"),
#'                            b = 0.3, n_causal = 8, seed = 2)
#' sim$truth$b
#' unlink(dir, recursive = TRUE)
simulate_gwas_files <- function(panel, exposure_file, outcome_file, b = 0.2, n_causal = 20,
                                n_exposure = 100000, n_outcome = 100000, fstat = 80,
                                decay = 0.15, pleiotropy_sd = 0, drop_from_outcome = 0,
                                format = c("gwas_ssf", "finngen", "twosamplemr"), seed = NULL) {
  format <- match.arg(format)
  if (!is.list(panel) || !is.data.frame(panel$variants) ||
      !all(c("SNP", "chr", "pos", "A1", "A2", "block", "orientation", "freq") %in% names(panel$variants))) {
    abort_mrkit("input_type", "{.arg panel} must be the result of {.fn simulate_ld_panel}.")
  }
  v <- panel$variants
  blocks <- unique(v$block)
  if (!is.numeric(n_causal) || n_causal < 1 || n_causal > length(blocks)) {
    abort_mrkit("parameter", "{.arg n_causal} must be between 1 and the number of blocks ({length(blocks)}).")
  }
  if (!is.null(seed)) with_seed_restored(seed)
  model <- ld_panel_model(panel)
  causal <- sort(sample(blocks, n_causal))
  J <- nrow(v)
  se_x <- 1 / sqrt(2 * model$freq * (1 - model$freq) * n_exposure)
  gx <- gy <- numeric(J)
  leads <- character()
  for (k in causal) {
    idx <- which(v$block == k)
    lead <- idx[sample.int(length(idx), 1L)]
    leads <- c(leads, v$SNP[lead])
    gx[lead] <- sample(c(-1, 1), 1L) * sqrt(fstat) * se_x[lead]
    gy[lead] <- b * gx[lead]
    if (pleiotropy_sd > 0) gy[lead] <- gy[lead] + stats::rnorm(1L, 0, pleiotropy_sd * abs(gx[lead]))
  }
  sim <- simulate_marginal_effects(panel, cbind(gx, gy), n = c(n_exposure, n_outcome))
  v$freq <- model$freq
  dropped <- if (drop_from_outcome > 0) sample(leads, min(drop_from_outcome, length(leads))) else character()
  write_gwas_file(v, sim$beta[, 1], sim$se[, 1], n_exposure, exposure_file, format)
  keep <- !v$SNP %in% dropped
  write_gwas_file(v[keep, , drop = FALSE], sim$beta[keep, 2], sim$se[keep, 2], n_outcome, outcome_file, format)
  invisible(list(exposure_file = exposure_file, outcome_file = outcome_file,
                 truth = list(b = b, causal_blocks = causal, leads = leads, dropped = dropped)))
}

# Write one simulated GWAS in the chosen layout; half of the rows on the A2 allele.
write_gwas_file <- function(v, beta, se, n, file, format) {
  flip <- stats::runif(nrow(v)) < 0.5
  ea <- ifelse(flip, v$A2, v$A1)
  oa <- ifelse(flip, v$A1, v$A2)
  eaf <- ifelse(flip, 1 - v$freq, v$freq)
  beta <- ifelse(flip, -beta, beta)
  p <- 2 * stats::pnorm(-abs(beta / se))
  tab <- if (format == "finngen") {
    stats::setNames(data.frame(v$chr, as.integer(v$pos), oa, ea, v$SNP, "", p, -log10(p), beta, se, eaf,
                               stringsAsFactors = FALSE),
                    c("#chrom", "pos", "ref", "alt", "rsids", "nearest_genes", "pval", "mlogp", "beta",
                      "sebeta", "af_alt"))
  } else if (format == "gwas_ssf") {
    data.frame(chromosome = v$chr, base_pair_location = as.integer(v$pos), effect_allele = ea,
               other_allele = oa, beta = beta, standard_error = se, effect_allele_frequency = eaf,
               p_value = p, variant_id = v$SNP, n = n, stringsAsFactors = FALSE)
  } else {
    data.frame(SNP = v$SNP, chr = v$chr, pos = as.integer(v$pos), effect_allele = ea,
               other_allele = oa, eaf = eaf, beta = beta, se = se, pval = p, samplesize = n,
               stringsAsFactors = FALSE)
  }
  con <- if (grepl("\\.gz$", file)) gzfile(file, "w") else file(file, "w")
  on.exit(close(con))
  utils::write.table(tab, con, sep = "\t", quote = FALSE, row.names = FALSE)
  invisible(file)
}
