# Simulated data with known truth for tests; seeds are fixed per call.
sim <- function(..., seed = 1) simulate_mr_data(..., seed = seed)

# Simulated data with directional outliers: the simulator's outliers (prop_invalid of the
# variants, outlier_size outcome SEs) all moved in the direction of the SNP-exposure effect,
# so that IVW is biased upwards.
sim_directional_outliers <- function(nsnp = 50, b = 0.3, prop_invalid = 0.2, outlier_size = 15,
                                     fstat = 100) {
  d <- simulate_mr_data(nsnp = nsnp, b = b, pleiotropy = "outliers", prop_invalid = prop_invalid,
                        outlier_size = outlier_size, fstat = fstat)
  tr <- attr(d, "truth")
  inv <- tr$invalid
  d$beta.outcome[inv] <- d$beta.outcome[inv] - tr$alpha[inv] + abs(tr$alpha[inv]) * sign(tr$gamma[inv])
  d
}
