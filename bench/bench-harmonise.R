# Time harmonise_data() and format_data() on simulated data (1,000,000 variants, 30% of
# outcome rows reported on the other allele, 20% palindromic).
# Run: Rscript bench/bench-harmonise.R   (results in bench/results/harmonise.txt)
library(mrkit)
n <- as.integer(Sys.getenv("MRKIT_BENCH_N", "1000000"))
s <- suppressWarnings(simulate_mr_data(nsnp = n, output = "separate", flip_prop = 0.3,
                                       palindromic_prop = 0.2, seed = 1))
invisible(harmonise_data(s$exposure[1:1000, ], s$outcome[1:1000, ]))  # warm up
times <- vapply(1:3, function(i) {
  gc()
  system.time(h <<- harmonise_data(s$exposure, s$outcome))[["elapsed"]]
}, numeric(1))
raw <- data.frame(SNP = s$exposure$SNP, beta = s$exposure$beta.exposure,
                  se = s$exposure$se.exposure, effect_allele = s$exposure$effect_allele.exposure,
                  other_allele = s$exposure$other_allele.exposure, eaf = s$exposure$eaf.exposure,
                  pval = s$exposure$pval.exposure, Phenotype = "X", id = "x")
tf <- system.time(f <- format_data(raw))[["elapsed"]]
lines <- c(sprintf("date: %s; R %s; %s", format(Sys.time(), "%Y-%m-%d"), getRversion(),
                   Sys.getlocale("LC_COLLATE")),
           sprintf("harmonise_data, %d rows: %s s (3 runs), %d rows out, %d mr_keep", n,
                   paste(format(times, nsmall = 2), collapse = ", "), nrow(h), sum(h$mr_keep)),
           sprintf("format_data, %d rows: %.2f s", n, tf))
writeLines(lines)
writeLines(lines, file.path("bench", "results", "harmonise.txt"))
