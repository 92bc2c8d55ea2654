# LD-faithful marginal GWAS summary statistics on a panel made by simulate_ld_panel().

#' Simulate LD-faithful marginal GWAS effects on a simulated LD panel
#'
#' Turns per-allele causal effects at some variants of a panel made by
#' [simulate_ld_panel()] into the marginal (single-variant) per-allele effects a GWAS
#' estimates at every variant, and adds sampling error that is correlated between variants
#' as their genotypes are, as in a real GWAS.
#'
#' The LD is the population LD of the model that generated the panel (not the sample LD
#' of its individuals): along a block each haplotype keeps its latent allele with
#' probability `1 - decay`, so the latent allele frequency is
#' \eqn{p_j = (1 - s) p_{j-1} + s f_j} (\eqn{f} the panel's `freq`, \eqn{s} its `decay`)
#' and two variants \eqn{i < j} of one block have genotype correlation
#' \eqn{r_{ij} = o_i o_j \prod_{m=i+1}^{j} a_m} with
#' \eqn{a_m = (1 - s) \sigma_{m-1} / \sigma_m}, \eqn{\sigma_m = \sqrt{p_m (1 - p_m)}} and
#' \eqn{o} the orientations; blocks are independent. With causal per-allele effects
#' \eqn{\beta} on the A1 alleles, the marginal effect of variant \eqn{j} is
#' \eqn{\sum_k \beta_k r_{jk} sd_k / sd_j}, \eqn{sd = \sqrt{2 q (1 - q)}} and \eqn{q} the
#' A1 frequency (a trait of variance 1 and small effects). The standard error is
#' \eqn{1 / \sqrt{2 q (1 - q) N}} and the observed effects are the marginal effects plus
#' noise \eqn{N(0, S R S)}, \eqn{S = diag(se)}, drawn block by block with the Markov
#' structure of the model (exact, and linear in the number of variants).
#'
#' @param panel The result of [simulate_ld_panel()] (it records `decay`).
#' @param effects Per-allele causal effects on the A1 alleles of the panel, one row per
#'   panel variant (zero where not causal): a numeric vector, or a matrix with one column
#'   per trait.
#' @param n GWAS sample size: one number, or one per column of `effects`. `NULL` gives
#'   marginal effects only.
#' @param seed Optional seed; the global RNG state is restored afterwards.
#' @return For a vector `effects`, a data frame with one row per panel variant: `SNP`,
#'   `freq` (A1 frequency), `marginal` (true marginal effect), `se`, `beta` (observed
#'   effect). For a matrix, a list with `freq` and the matrices `marginal`, `se` and `beta`.
#'   With `n = NULL`, `se` and `beta` are missing.
#' @export
#' @examples
#' panel <- simulate_ld_panel(200, 300, block_size = 30,
#'                            prefix = file.path(tempdir(), "sim_marginal"), seed = 1)
#' effects <- numeric(300)
#' effects[c(15, 135)] <- c(0.05, -0.03)
#' sim <- simulate_marginal_effects(panel, effects, n = 50000, seed = 2)
#' head(sim[10:20, ])
simulate_marginal_effects <- function(panel, effects, n = NULL, seed = NULL) {
  model <- ld_panel_model(panel)
  J <- length(model$freq)
  is_vec <- is.null(dim(effects))
  E <- if (is_vec) matrix(effects, ncol = 1L) else as.matrix(effects)
  if (!is.numeric(E) || nrow(E) != J || anyNA(E)) {
    abort_mrkit("parameter", "{.arg effects} must be numbers without NA, one row per panel variant ({J}).")
  }
  K <- ncol(E)
  if (!is.null(n) && (!is.numeric(n) || !length(n) %in% c(1L, K) || anyNA(n) || any(n <= 0))) {
    abort_mrkit("parameter", "{.arg n} must be positive sample sizes: one, or one per column of {.arg effects}.")
  }
  local_seed(seed)
  o <- model$orientation
  sd_g <- sqrt(2 * model$freq * (1 - model$freq))
  t <- E * (o * sd_g)                      # standardized causal effects on the latent allele
  fwd <- markov_sum(t, model, forward = TRUE)
  bwd <- markov_sum(t, model, forward = FALSE)
  marginal <- (fwd + bwd - t) * (o / sd_g)
  dimnames(marginal) <- dimnames(E)
  se <- beta <- NULL
  if (!is.null(n)) {
    se <- outer(1 / sd_g, 1 / sqrt(rep_len(n, K)))
    u <- markov_noise(J, K, model)
    beta <- marginal + se * u * o
    dimnames(se) <- dimnames(beta) <- dimnames(E)
  }
  if (!is_vec) return(list(freq = model$freq, marginal = marginal, se = se, beta = beta))
  out <- data.frame(SNP = panel$variants$SNP, freq = model$freq, marginal = marginal[, 1],
                    stringsAsFactors = FALSE)
  if (!is.null(n)) {
    out$se <- se[, 1]
    out$beta <- beta[, 1]
  }
  out
}

# The generating model of a simulate_ld_panel() panel: per variant its position in its block
# (step), the A1 frequency, the orientation and a_j, the correlation of the standardized
# latent allele with that of the previous variant of the block (0 for a block's first).
ld_panel_model <- function(panel, call = rlang::caller_env()) {
  v <- if (is.list(panel)) panel$variants
  if (!is.data.frame(v) || !all(c("SNP", "block", "orientation", "freq") %in% names(v))) {
    abort_mrkit("input_type", "{.arg panel} must be the result of {.fn simulate_ld_panel}.", call = call)
  }
  s <- panel$decay
  if (!is.numeric(s) || length(s) != 1L || is.na(s) || s < 0 || s > 1) {
    abort_mrkit("input_type", c("{.arg panel} does not record the {.arg decay} of its LD model.",
                                i = "Make it with {.fn simulate_ld_panel} of this version of mrkit."),
                call = call)
  }
  J <- nrow(v)
  first <- c(TRUE, v$block[-1] != v$block[-J])
  if (anyDuplicated(v$block[first])) {
    abort_mrkit("input_type", "The variants of each block of {.arg panel} must be consecutive.", call = call)
  }
  step <- seq_len(J) - which(first)[cumsum(first)] + 1L
  p <- v$freq
  for (k in seq_len(max(step))[-1]) {
    i <- which(step == k)
    p[i] <- (1 - s) * p[i - 1L] + s * v$freq[i]
  }
  sig <- sqrt(p * (1 - p))
  a <- numeric(J)
  a[!first] <- pmin(1, (1 - s) * sig[which(!first) - 1L] / sig[!first])
  list(step = step, a = a, orientation = v$orientation,
       freq = ifelse(v$orientation > 0, p, 1 - p))
}

# Sum over the variants i <= j (forward) or i >= j (backward) of a block of
# prod(a between i and j) * x_i, for every column of x.
markov_sum <- function(x, model, forward) {
  step <- model$step
  a <- model$a
  J <- length(step)
  out <- x
  if (forward) {
    for (k in seq_len(max(step))[-1]) {
      i <- which(step == k)
      out[i, ] <- out[i, ] + a[i] * out[i - 1L, , drop = FALSE]
    }
  } else {
    nxt_step <- c(step[-1], 0L)
    for (k in rev(seq_len(max(step) - 1L))) {
      i <- which(step == k & nxt_step == k + 1L)
      out[i, ] <- out[i, ] + a[i + 1L] * out[i + 1L, , drop = FALSE]
    }
  }
  out
}

# Standard normal noise with the within-block correlation of the latent alleles.
markov_noise <- function(J, K, model) {
  u <- matrix(stats::rnorm(J * K), J, K)
  step <- model$step
  a <- model$a
  for (k in seq_len(max(step))[-1]) {
    i <- which(step == k)
    u[i, ] <- a[i] * u[i - 1L, , drop = FALSE] + sqrt(1 - a[i]^2) * u[i, , drop = FALSE]
  }
  u
}
