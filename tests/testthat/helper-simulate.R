# Simulated data with known truth for tests; seeds are fixed per call.
sim <- function(..., seed = 1) simulate_mr_data(..., seed = seed)
