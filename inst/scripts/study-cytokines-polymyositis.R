# Study-shaped data of the article "Study: circulating cytokines and polymyositis"
# (vignettes/articles/study-cytokines-polymyositis.Rmd). The article shows these chunks and runs
# them; tests/testthat/test-study-cytokines.R runs them too, to check that the analysis
# recovers the simulated effects. Set `dir` (an existing folder) before running.

## ---- sim-inputs ----
library(mrkit)
extdata <- function(f) system.file("extdata", f, package = "mrkit")
traits <- read.csv(extdata("study3_traits.csv"))
cyto <- traits[traits$role == "exposure", ]
pm <- traits[traits$role == "outcome", ]
pub <- read.csv(extdata("study3_published_results.csv"))
scallop <- read.csv(extdata("scallop_inf1.csv"))
tnfa <- read.csv(extdata("aholaolli_tnfa_instruments.csv"))

# The 21 study cytokines with SCALLOP-INF pQTLs: Ahola-Olli short name = Olink protein
olink <- c(b_ngf = "Beta-NGF", vegf = "VEGF_A", trail = "TRAIL", tnf_b = "TNFB", scf = "SCF",
           mip1b = "CCL4", mip1a = "MIP-1 alpha", mig = "CXCL9", mcsf = "CSF-1",
           mcp3 = "CCL7", mcp1 = "CCL2", il12p70 = "IL-12B", ip10 = "CXCL10", il18 = "IL-18",
           il10 = "IL-10", il8 = "IL-8", il6 = "IL-6", hgf = "HGF", il7 = "IL-7",
           gro_a = "CXCL1", eotaxin = "CCL11")
sc <- scallop[scallop$Protein %in% olink, ]
real <- rbind(
  data.frame(trait = names(olink)[match(sc$Protein, olink)], SNP = sc$rsid,
             A1 = toupper(sc$Effect_allele), A2 = toupper(sc$Other_allele), eaf = sc$EAF,
             b = as.numeric(sc$b), gene = sc$Protein_gene_symbol, source = "SCALLOP-INF"),
  data.frame(trait = "tnf_a", SNP = tnfa$SNP, A1 = tnfa$effect_allele.exposure,
             A2 = tnfa$other_allele.exposure, eaf = tnfa$eaf.exposure,
             b = tnfa$beta.exposure, gene = NA, source = "Ahola-Olli 2017"))
c(real_rows = nrow(real), real_variants = length(unique(real$SNP)),
  cytokines_with_real = length(unique(real$trait)))

# True causal effects: the published estimates (log odds ratios; the reverse ones are
# the log of the reported "ORs", i.e. SD of cytokine per log odds of polymyositis)
truth <- data.frame(exposure = pub$exposure, outcome = pub$outcome, direction = pub$direction,
                    b = log(pub$estimate))
truth

## ---- sim-panel ----
# A reference panel of 1,000 people and 10,000 variants in 400 independent LD blocks
# on 22 chromosomes; each lead variant sits in a block of its own.
panel <- simulate_ld_panel(1000, 10000, block_size = 25, n_chr = 22,
                           prefix = file.path(dir, "panel"), seed = 1)
v <- panel$variants
v$freq <- simulate_marginal_effects(panel, numeric(nrow(v)))$freq   # A1 frequencies
set.seed(3)
blocks <- sample(unique(v$block))
lead_in <- function(b) which(v$block == b)[13]      # the middle variant of a block

# The 64 real variants become leads, with their rsids, alleles and frequencies
real_snps <- unique(real$SNP)
real_idx <- vapply(blocks[seq_along(real_snps)], lead_in, 1L)
first <- match(real_snps, real$SNP)
v$SNP[real_idx] <- real_snps
v$A1[real_idx] <- real$A1[first]
v$A2[real_idx] <- real$A2[first]
v$freq[real_idx] <- real$eaf[first]
bim <- read.table(paste0(panel$bfile, ".bim"), colClasses = "character")
bim[real_idx, c(2, 5, 6)] <- v[real_idx, c("SNP", "A1", "A2")]
write.table(bim, paste0(panel$bfile, ".bim"), quote = FALSE, col.names = FALSE,
            row.names = FALSE, sep = "\t")
free <- blocks[-seq_along(real_snps)]
take <- function(n) {                                # the next n unused blocks' leads
  b <- free[seq_len(n)]
  free <<- free[-seq_len(n)]
  vapply(b, lead_in, 1L)
}

# Causal per-allele effects (on A1) of a set of lead variants, one entry per variant.
# simulate_marginal_effects() turns them into marginal effects at every variant (effect x
# correlation with the lead x SD(lead genotype) / SD(variant genotype)) and adds sampling
# error correlated between variants as their genotypes are, as in real data
spread <- function(lead_idx, effect) {
  m <- numeric(nrow(v))
  for (k in seq_along(lead_idx)) m[lead_idx[k]] <- m[lead_idx[k]] + effect[k]
  m
}
se_at <- function(n) 1 / sqrt(2 * v$freq * (1 - v$freq) * n)

## ---- sim-effects ----
# Cytokines: the real leads with their published effects (SD units), plus six simulated
# leads each with per-allele effects of typical pQTL size (median 0.12 SD), so that each
# GWAS finds what its own sample size lets it find. G-CSF has no real instruments: its
# eight simulated leads have F = 42 at N = 7,904, which puts the standard error of
# G-CSF on polymyositis near the published one (0.44 on the log-odds scale).
m_cyto <- lapply(setNames(cyto$short_name, cyto$short_name), function(k) {
  r <- real[real$trait == k, ]
  if (k == "gcsf") {
    idx <- take(8)
    g <- sample(c(-1, 1), 8, TRUE) * sqrt(42) * se_at(cyto$sample_size[cyto$short_name == k])[idx]
  } else {
    idx <- take(6)
    g <- sample(c(-1, 1), 6, TRUE) * exp(rnorm(6, log(0.12), 0.5))
  }
  spread(c(match(r$SNP, v$SNP), idx), c(r$b, g))
})

# Polymyositis (FinnGen, 119 cases): seven simulated leads (no real instruments exist
# offline) with F = 31 on the log-odds scale, which puts the standard errors of
# polymyositis on IL-13, IL-7 and IL-1RA near the published ones (0.012-0.013).
n_pm_eff <- pm$ncase * pm$ncontrol / pm$sample_size   # N of a case-control log OR
pm_idx <- take(7)
g_pm <- sample(c(-1, 1), 7, TRUE) * sqrt(31) * se_at(n_pm_eff)[pm_idx]
b_of <- function(e, o) sum(truth$b[truth$exposure == e & truth$outcome == o])
m_pm <- spread(pm_idx, g_pm) + b_of("gcsf", "polymyositis") * m_cyto$gcsf
# Horizontal pleiotropy: rs3184504 (SH2B3), a trans-pQTL of IL-12p70, MIG and IP-10 and
# an autoimmune-disease locus, also raises polymyositis risk directly (log OR 0.3); the
# first polymyositis lead acts directly on IL-2RA and IL-16 (0.08 SD, too little to make
# it one of their instruments).
m_pm <- m_pm + spread(match("rs3184504", v$SNP), 0.3)
for (k in cyto$short_name) {
  m_cyto[[k]] <- m_cyto[[k]] + b_of("polymyositis", k) * m_pm
  if (k %in% c("il2ra", "il16")) m_cyto[[k]] <- m_cyto[[k]] + spread(pm_idx[1], 0.08)
}

## ---- sim-files ----
# Cytokines: GWAS Catalog harmonised files (hm_ columns on the forward strand, the
# submitted alleles beside them, half of them flipped); polymyositis: a FinnGen release
# file (alt = effect allele). Three real variants are missing from the FinnGen file.
write_gwas_catalog_hm <- function(file, beta, se, n) {
  flip <- runif(nrow(v)) < 0.5
  pal <- paste0(v$A1, v$A2) %in% c("AT", "TA", "CG", "GC")
  tab <- data.frame(
    hm_variant_id = paste(v$chr, as.integer(v$pos), v$A2, v$A1, sep = "_"), hm_rsid = v$SNP,
    hm_chrom = v$chr, hm_pos = as.integer(v$pos), hm_other_allele = v$A2,
    hm_effect_allele = v$A1, hm_beta = beta, hm_odds_ratio = NA, hm_ci_lower = NA,
    hm_ci_upper = NA, hm_effect_allele_frequency = v$freq,
    hm_code = ifelse(pal, 5, 10) + flip, variant_id = v$SNP,
    p_value = 2 * pnorm(-abs(beta / se)), chromosome = v$chr,
    base_pair_location = as.integer(v$pos), other_allele = ifelse(flip, v$A1, v$A2),
    effect_allele = ifelse(flip, v$A2, v$A1), beta = ifelse(flip, -beta, beta),
    standard_error = se, effect_allele_frequency = ifelse(flip, 1 - v$freq, v$freq), n = n)
  write_tsv_gz(tab, file)
}
write_finngen <- function(file, beta, se, drop = character()) {
  or <- exp(beta)
  af_cases <- v$freq * or / (1 - v$freq + v$freq * or)
  genes <- real$gene[match(v$SNP, real$SNP)]
  tab <- data.frame(chrom = v$chr, pos = as.integer(v$pos), ref = v$A2, alt = v$A1,
                    rsids = v$SNP, nearest_genes = ifelse(is.na(genes), "", genes),
                    pval = 2 * pnorm(-abs(beta / se)),
                    mlogp = -(pnorm(-abs(beta / se), log.p = TRUE) + log(2)) / log(10),
                    beta = beta, sebeta = se, af_alt = v$freq, af_alt_cases = af_cases,
                    af_alt_controls = v$freq)[!v$SNP %in% drop, ]
  names(tab)[1] <- "#chrom"
  write_tsv_gz(tab, file)
}
write_tsv_gz <- function(tab, file) {               # numbers to 5 significant digits
  num <- vapply(tab, is.double, TRUE)
  tab[num] <- lapply(tab[num], signif, 5)
  con <- gzfile(file, "w", compression = 1)
  writeLines(c(paste(names(tab), collapse = "\t"), do.call(paste, c(tab, sep = "\t"))), con)
  close(con)
}

cyto$file <- file.path(dir, paste0(cyto$gwas_catalog_accession, ".h.tsv.gz"))
for (i in seq_len(nrow(cyto))) {
  g <- simulate_marginal_effects(panel, m_cyto[[cyto$short_name[i]]], n = cyto$sample_size[i])
  write_gwas_catalog_hm(cyto$file[i], g$beta, g$se, cyto$sample_size[i])
}
pm_file <- file.path(dir, "finngen_R5_M13_POLYMYO.gz")
g <- simulate_marginal_effects(panel, m_pm, n = n_pm_eff)
write_finngen(pm_file, g$beta, g$se,
              drop = sc$rsid[sc$cistrans == "cis" & sc$Protein %in% c("VEGF_A", "CCL4", "HGF")])

## ---- cis-region ----
# cis-MR of IL-18 (section "cis-MR and colocalisation for one protein"). Real: the lead
# cis-pQTL of IL-18 in SCALLOP-INF (Olink, GRCh37). Simulated: everything around it.
# Needs `scallop` (sim-inputs) and `dir`.
num <- function(x) as.numeric(gsub(",", "", x))      # the text columns are print-formatted
lead <- scallop[scallop$Protein == "IL-18" & scallop$cistrans == "cis", ]
# IL18 gene, GRCh37 (Ensembl ENSG00000150782, minus strand), as in pQTLdata's `inf1` table
# of the SCALLOP-INF Olink panel (build 37 columns start/end); GRCh38: 112,143,260-112,164,094
il18 <- list(chr = "11", start = 112013974, end = 112034840)
# 240 variants in three LD blocks over chr11:111.88-112.17 Mb, genotyped in 1,000
# reference people; the middle variant becomes the real lead (rsid, alleles, position)
region <- simulate_ld_panel(1000, 240, block_size = 80, prefix = file.path(dir, "il18"),
                            seed = 11)
rv <- region$variants
lead_k <- 120
rv$chr <- il18$chr
rv$pos <- round(seq(111880000, 112170000, length.out = 240))
rv$pos[lead_k] <- num(lead$Position)
rv[lead_k, c("SNP", "A1", "A2")] <- c(lead$rsid, toupper(lead$Effect_allele),
                                      toupper(lead$Other_allele))
write.table(data.frame(rv$chr, rv$SNP, 0, rv$pos, rv$A1, rv$A2), paste0(region$bfile, ".bim"),
            quote = FALSE, row.names = FALSE, col.names = FALSE, sep = "\t")
# Frequencies of the A1 alleles, counted in the panel's .bed file (variant-major, four
# genotypes a byte, low bits first: 00 = A1/A1, 10 = A1/A2, 11 = A2/A2, 01 = missing)
bed_a1_freq <- function(bfile, n_ind, n_var) {
  raw <- readBin(paste0(bfile, ".bed"), "raw", 3 + n_var * ceiling(n_ind / 4))[-(1:3)]
  g <- matrix(as.integer(raw), ncol = n_var)
  byte <- rep(seq_len(nrow(g)), each = 4)
  code <- matrix(bitwAnd(bitwShiftR(g[byte, ], 2 * (seq_along(byte) - 1) %% 4), 3L),
                 length(byte))
  colMeans(matrix(c(2, NA, 1, 0)[code[seq_len(n_ind), ] + 1], n_ind), na.rm = TRUE) / 2
}
rv$eaf <- bed_a1_freq(region$bfile, 1000, 240)
ld_region <- ld_matrix(rv$SNP, region$bfile, with_alleles = FALSE)   # signed r of the A1s

## ---- cis-effects ----
# IL-18 (SD units, N of SCALLOP-INF): five causal variants with joint effects per SD of
# genotype: the real lead, a secondary signal 15 variants away (r2 0.2 with the lead),
# and three weaker ones, scaled so that the lead's marginal effect is the published one.
# Marginal effects follow through LD; sampling errors are correlated as genotypes are.
n_il18 <- num(lead$N)
sd_g <- sqrt(2 * rv$eaf * (1 - rv$eaf))
joint <- numeric(240)
joint[c(lead_k, lead_k + 15, 200, 60, 160)] <- c(1, -0.6, 0.35, 0.3, -0.3)
joint <- joint * num(lead$b) * sd_g[lead_k] / drop(ld_region %*% joint)[lead_k]
gamma <- drop(ld_region %*% joint) / sd_g            # true marginal per-allele effects
root <- t(chol(ld_region + diag(1e-6, 240)))
gwas <- function(beta, n) {                          # what a GWAS of n people reports
  se <- 1 / (sd_g * sqrt(n))
  b <- beta + se * drop(root %*% rnorm(240))
  list(b = b, se = se, p = 2 * pnorm(-abs(b / se)))
}
set.seed(18)
g_x <- gwas(gamma, n_il18)
il18_gwas <- data.frame(
  SNP = rv$SNP, chr.exposure = rv$chr, pos.exposure = rv$pos,
  effect_allele.exposure = rv$A1, other_allele.exposure = rv$A2, eaf.exposure = rv$eaf,
  beta.exposure = g_x$b, se.exposure = g_x$se, pval.exposure = g_x$p,
  samplesize.exposure = n_il18, id.exposure = "il18", exposure = "IL-18")
# Polymyositis regions (log odds ratios; half the variants reported on the other allele)
pm_region <- function(beta, ncase, ncontrol, id) {
  g <- gwas(beta, ncase * ncontrol / (ncase + ncontrol))
  flip <- seq_along(g$b) %% 2 == 0
  data.frame(SNP = rv$SNP, chr.outcome = rv$chr, pos.outcome = rv$pos,
             effect_allele.outcome = ifelse(flip, rv$A2, rv$A1),
             other_allele.outcome = ifelse(flip, rv$A1, rv$A2),
             eaf.outcome = ifelse(flip, 1 - rv$eaf, rv$eaf),
             beta.outcome = ifelse(flip, -g$b, g$b), se.outcome = g$se, pval.outcome = g$p,
             ncase.outcome = ncase, ncontrol.outcome = ncontrol,
             samplesize.outcome = ncase + ncontrol, id.outcome = id, outcome = "Polymyositis")
}
b_il18 <- log(2)                                     # true effect: log OR per SD of IL-18
# shared: IL-18 acts on polymyositis (every IL-18 variant acts through it), in a
# hypothetical GWAS of 4,000 cases and 20,000 controls, and at FinnGen R5's size
pm_shared <- pm_region(b_il18 * gamma, 4000, 20000, "pm_shared")
pm_finngen <- pm_region(b_il18 * gamma, pm$ncase, pm$ncontrol, "pm_finngen")
# distinct: no effect of IL-18; a polymyositis variant of its own in the first block
own <- numeric(240)
own[40] <- 0.25 * sd_g[40]
pm_distinct <- pm_region(drop(ld_region %*% own) / sd_g, 4000, 20000, "pm_distinct")
