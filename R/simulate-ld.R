# Simulated LD reference panels written as PLINK 1 files.

#' Simulate an LD reference panel and write it as PLINK 1 .bed/.bim/.fam files
#'
#' Variants are laid out in haplotype blocks of `block_size` consecutive variants. Along a
#' block each haplotype keeps its (latent) allele from the previous variant with
#' probability `1 - decay`, otherwise it draws a fresh allele, so LD is strong between
#' neighbours and decays roughly geometrically with distance within a block; blocks are
#' independent. Each variant's A1 (.bim column 5) is the latent allele 1 or 0 at random
#' (`orientation` = +1 / -1), so the true sign of the correlation of the A1 alleles of two
#' variants of one block is the product of their orientations.
#'
#' Per-variant settings (frequencies, orientations, alleles, positions) come from R's
#' random number generator; the genotypes come from per-block streams of mrkit's
#' generator seeded from it, so `seed` (or [set.seed()]) reproduces the files for any
#' number of threads.
#'
#' @param n_individuals Number of individuals.
#' @param n_variants Number of variants.
#' @param block_size Variants per haplotype block.
#' @param ... Unused; further arguments must be named.
#' @param decay Probability, per step along a block, that a haplotype draws a new allele.
#' @param maf_range Range of the latent allele frequencies (uniform).
#' @param n_chr Number of chromosomes (blocks are spread evenly over them).
#' @param missing_rate Proportion of genotypes set to missing at random.
#' @param prefix Path prefix of the files to write.
#' @param seed Optional seed; `NULL` uses the current state of R's generator.
#' @param threads Number of threads.
#' @return Invisibly, a list with `bfile` (the prefix), `variants`: a data frame with
#'   `chr, SNP, pos, A1, A2, block, orientation, freq` (the truth of the simulation;
#'   `freq` is the frequency of the fresh latent alleles drawn at a variant, not its A1
#'   frequency, which [simulate_marginal_effects()] derives), and `decay`.
#' @export
#' @examples
#' prefix <- file.path(tempdir(), "sim_panel")
#' sim <- simulate_ld_panel(200, 300, block_size = 30, prefix = prefix, seed = 1)
#' head(sim$variants)
#' ld_matrix(sim$variants$SNP[1:4], prefix)
simulate_ld_panel <- function(n_individuals = 500, n_variants = 2000, block_size = 50, ...,
                              decay = 0.05, maf_range = c(0.05, 0.5), n_chr = 1,
                              missing_rate = 0, prefix, seed = NULL,
                              threads = getOption("mrkit.threads", 1L)) {
  rlang::check_dots_empty()
  count <- function(x, name, min = 1) {
    if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < min || x != round(x)) {
      abort_mrkit("parameter", "{.arg {name}} must be a whole number >= {min}.", call = rlang::caller_env(2))
    }
    as.integer(x)
  }
  n_individuals <- count(n_individuals, "n_individuals")
  n_variants <- count(n_variants, "n_variants")
  block_size <- count(block_size, "block_size")
  n_chr <- count(n_chr, "n_chr")
  check_clump_number(decay, "decay", 0, 1)
  check_clump_number(missing_rate, "missing_rate", 0, 1)
  if (!is.numeric(maf_range) || length(maf_range) != 2L || anyNA(maf_range) ||
      maf_range[1] <= 0 || maf_range[2] > 0.5 || maf_range[1] > maf_range[2]) {
    abort_mrkit("parameter", "{.arg maf_range} must be two numbers with 0 < lower <= upper <= 0.5.")
  }
  if (missing(prefix) || !is.character(prefix) || length(prefix) != 1L || is.na(prefix)) {
    abort_mrkit("parameter", "{.arg prefix} must be the path prefix of the files to write.")
  }
  if (!dir.exists(dirname(prefix))) {
    abort_mrkit("panel_file", "The folder {.file {dirname(prefix)}} does not exist.")
  }
  threads <- check_threads(threads)
  local_seed(seed)
  block <- (seq_len(n_variants) - 1L) %/% block_size + 1L
  n_blocks <- max(block)
  block_chr <- sort(rep_len(seq_len(n_chr), n_blocks))
  chr <- block_chr[block]
  freq <- stats::runif(n_variants, maf_range[1], maf_range[2])
  orientation <- ifelse(stats::runif(n_variants) < 0.5, -1L, 1L)
  pairs <- rbind(c("A", "C"), c("A", "G"), c("A", "T"), c("C", "G"), c("C", "T"), c("G", "T"))
  k <- sample.int(6L, n_variants, replace = TRUE)
  swap <- stats::runif(n_variants) < 0.5
  a1 <- ifelse(swap, pairs[k, 2], pairs[k, 1])
  a2 <- ifelse(swap, pairs[k, 1], pairs[k, 2])
  step <- sample.int(9001L, n_variants, replace = TRUE) + 999L
  new_block <- c(TRUE, block[-1] != block[-n_variants])
  step[new_block] <- step[new_block] + 50000L
  pos <- stats::ave(as.numeric(step), chr, FUN = cumsum)
  core_seed <- floor(stats::runif(1) * 2^31)
  block_start <- which(new_block) - 1
  bed <- paste0(prefix, ".bed")
  call_core(cpp_simulate_bed(bed, n_individuals, block_start, freq, orientation,
                             rep(decay, n_variants),
                             list(missing_rate = missing_rate, seed = core_seed, threads = threads)),
            what = "the panel simulator")
  snp <- paste0("rs", 100000000L + seq_len(n_variants))
  utils::write.table(data.frame(chr, snp, 0, sprintf("%.0f", pos), a1, a2), paste0(prefix, ".bim"),
                     sep = "\t", quote = FALSE, row.names = FALSE, col.names = FALSE)
  iid <- sprintf("ind%d", seq_len(n_individuals))
  utils::write.table(data.frame(iid, iid, 0, 0, 0, -9), paste0(prefix, ".fam"),
                     sep = " ", quote = FALSE, row.names = FALSE, col.names = FALSE)
  variants <- data.frame(chr = as.character(chr), SNP = snp, pos = pos, A1 = a1, A2 = a2, block = block,
                         orientation = orientation, freq = freq, stringsAsFactors = FALSE)
  invisible(list(bfile = prefix, variants = variants, decay = decay))
}
