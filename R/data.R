#' Example exposure and outcome GWAS summary statistics (simulated)
#'
#' Simulated summary statistics (not real data) for 40 independent instruments of a continuous exposure
#' ("Body mass index (simulated)", N = 300,000, effects per SD) and their associations with
#' a binary outcome ("Coronary heart disease (simulated)", 59,400 cases / 120,600 controls,
#' log odds ratios), made by [simulate_mr_data()] with a true causal log odds ratio of 0.4
#' per SD, balanced pleiotropy in 15% of the instruments, 30% of the outcome rows reported
#' on the other allele and 10% palindromic variants. One instrument is absent from the
#' outcome table and one outcome row lacks its effect allele, so that harmonisation has
#' something to report. The instruments are variants of the simulated reference panel
#' [example_panel()] (one per haplotype block, with the panel's rsids, positions and
#' alleles), so the example data can be clumped and looked up with proxies against it.
#' The script is `data-raw/make-example-data.R` in the source package.
#'
#' @format `example_exposure`: a data frame with 40 rows in [format_data()] layout
#'   (`SNP`, `beta.exposure`, `se.exposure`, `effect_allele.exposure`,
#'   `other_allele.exposure`, `eaf.exposure`, `pval.exposure`, `samplesize.exposure`, ...).
#'   `example_outcome`: 39 rows with the `.outcome` columns, including `ncase.outcome`,
#'   `ncontrol.outcome` and `units.outcome = "log odds"`.
#' @examples
#' head(example_exposure[, c("SNP", "beta.exposure", "se.exposure")])
#' kept <- clump_data(example_exposure, bfile = example_panel())
#' nrow(kept)
"example_exposure"

#' @rdname example_exposure
"example_outcome"
