# Fixtures of OpenGWAS API responses for tests/testthat/test-opengwas.R.
#
# The shapes (field names, types, "" for a missing value, the 401/429 messages and headers)
# are those of the OpenGWAS API server, MRCIEU/opengwas-api at commit
# e6989a0e9db32af99ce9257c8021ef1258faaa94 (app/apis/tophits.py, app/queries/
# assoc_queries_by_chunks.py, app/queries/proxy_queries.py, app/apis/ld.py,
# app/apis/gwasinfo.py, app/schemas/gwas_info_node_schema.py, app/middleware/errors.py,
# app/middleware/limiter.py, app/resources/jwt.py). The values are synthetic: a small
# simulation (seed below) with a true causal effect of 0.4, not real GWAS results.
# Run from the package root: Rscript data-raw/make-opengwas-fixtures.R
set.seed(20261206)
dir <- "tests/testthat/fixtures/opengwas"
dir.create(dir, recursive = TRUE, showWarnings = FALSE)
json <- function(x, file) writeLines(jsonlite::toJSON(x, auto_unbox = TRUE, digits = NA, na = "null"), file.path(dir, file))

snps <- c("rs1558902", "rs13107325", "rs2867125", "rs571312", "rs10938397", "rs11165643",
          "rs543874", "rs7138803")
alleles <- rbind(c("A", "G"), c("T", "C"), c("C", "T"), c("A", "C"), c("G", "A"), c("T", "C"),
                 c("G", "A"), c("A", "G"))
chr <- c("16", "4", "2", "18", "4", "1", "1", "12")
pos <- c(53803574, 103188709, 634905, 57839769, 45182527, 96924097, 177889480, 50247468)
eaf <- round(runif(8, 0.1, 0.6), 4)
n_x <- 339224; n_y <- 184305
gx <- sample(c(-1, 1), 8, TRUE) * runif(8, 0.02, 0.08)
se_x <- round(1 / sqrt(2 * eaf * (1 - eaf) * n_x), 5)
bx <- round(gx + rnorm(8, 0, se_x), 5)
se_y <- round(1 / sqrt(2 * eaf * (1 - eaf) * n_y), 5)
by <- round(0.4 * gx + rnorm(8, 0, se_y), 5)
p <- function(b, se) signif(2 * pnorm(-abs(b / se)), 6)

gwasinfo <- data.frame(
  id = c("ieu-a-2", "ieu-a-7"), trait = c("Body mass index", "Coronary heart disease"),
  build = "HG19/GRCh37", group_name = "public", category = c("Risk factor", "Disease"),
  subcategory = c("Anthropometric", "Cardiovascular"), population = "European", sex = "Males and Females",
  author = c("Locke AE", "Nikpey M"), consortium = c("GIANT", "CARDIoGRAMplusC4D"), year = c(2015L, 2015L),
  pmid = c(25673413L, 26343387L), sample_size = c(n_x, n_y), ncase = c(NA, 60801L),
  ncontrol = c(NA, 123504L), unit = c("SD", "log odds"), nsnp = c(2555511L, 9455779L),
  mr = 1L, priority = c(1L, 1L), note = "", stringsAsFactors = FALSE)
json(gwasinfo, "gwasinfo.json")

# tophits: the exposure's instruments, sorted by id then p (as the server sorts them).
th <- data.frame(id = "ieu-a-2", trait = "Body mass index", chr = chr, position = pos, rsid = snps,
                 ea = alleles[, 1], nea = alleles[, 2], eaf = eaf, beta = bx, se = se_x,
                 p = p(bx, se_x), n = n_x, stringsAsFactors = FALSE)
th <- th[order(th$p), ]
json(th, "tophits.json")

# associations without proxies: every instrument but the last; three reported on the
# other allele; one with a missing eaf ("" as the server writes it).
flip <- c(2, 5, 6)
as <- data.frame(id = "ieu-a-7", trait = "Coronary heart disease", chr = chr, position = pos, rsid = snps,
                 ea = alleles[, 1], nea = alleles[, 2], eaf = eaf, beta = by, se = se_y,
                 p = p(by, se_y), n = n_y, stringsAsFactors = FALSE)
as$ea[flip] <- alleles[flip, 2]; as$nea[flip] <- alleles[flip, 1]
as$beta[flip] <- -as$beta[flip]; as$eaf[flip] <- 1 - as$eaf[flip]
as_list <- lapply(seq_len(7), function(i) as.list(as[i, ]))
as_list[[4]]$eaf <- ""
json(as_list, "associations.json")

# associations with proxies=1 for the missing instrument: the server's proxy row, its
# alleles translated to the target's (align_alleles = 1), rsid = the target.
pr <- as.list(as[8, ])
pr$target_snp <- snps[8]; pr$proxy_snp <- "rs12823128"; pr$proxy <- TRUE
pr$target_a1 <- alleles[8, 1]; pr$target_a2 <- alleles[8, 2]; pr$proxy_a1 <- "C"; pr$proxy_a2 <- "T"
pr$position <- 50263148
json(list(pr), "associations_proxy.json")

# ld/clump: the rsids kept (a JSON array of strings).
json(snps[c(1, 2, 3, 5, 6, 8)], "ld_clump.json")

# Error bodies.
json(list(message = "ERROR - Go to https://api.opengwas.io/ - From 1st May 2024 you must provide a token (JWT) alongside most of your requests. Read more at https://api.opengwas.io/ and also check for the latest version at https://mrcieu.github.io/ieugwasr/"),
     "error_401_missing_token.json")
json(list(message = "Invalid token. Visit https://api.opengwas.io to obtain one and make sure there are no extra or missing characters around the token when you copy and paste. (1) If you are using R/ieugwasr, R/TwoSampleMR or derived packages, please see https://mrcieu.github.io/ieugwasr/articles/guide.html#authentication (2) If you are building your own wrapper around our API, please add your token to the request header. Header name: 'Authorization'. Header value: 'Bearer your_token' (with whitespace and no quotes). See also: https://datatracker.ietf.org/doc/html/rfc6750#section-2.1"),
     "error_401_invalid_token.json")
json(list(message = "Too many requests. Allowance: 100000 per 600 seconds. Please try again after 2026-12-07 00:41 UTC."),
     "error_429.json")
writeLines(c("<html>", "<head><title>502 Bad Gateway</title></head>", "<body>",
             "<center><h1>502 Bad Gateway</h1></center>", "<hr><center>nginx</center>", "</body>", "</html>"),
           file.path(dir, "error_502.html"))
