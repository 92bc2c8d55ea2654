# Helpers for the LD tests: paths of the shared 1000 Genomes EUR slice and a plain-R
# decoder of PLINK .bed files (independent of the C++ reader) for reference values.

eur_prefix <- function() shared_file("data", "ld_eur_chr1", "eur")

ld_ref <- function(name) read_shared("reference", "ld_eur_chr1", name)

# A1 dosages (2/1/0, NA missing) of all variants: a samples x variants matrix.
read_bed_dosages_r <- function(prefix) {
  bim <- utils::read.table(paste0(prefix, ".bim"), stringsAsFactors = FALSE)
  n <- nrow(utils::read.table(paste0(prefix, ".fam")))
  bpv <- ceiling(n / 4)
  raw <- readBin(paste0(prefix, ".bed"), "raw", n = 3 + bpv * nrow(bim))
  codes <- as.integer(raw[-(1:3)])
  g <- matrix(0L, 4L * length(codes), 1L)
  bits <- cbind(codes %% 4L, (codes %/% 4L) %% 4L, (codes %/% 16L) %% 4L, (codes %/% 64L) %% 4L)
  g <- as.vector(t(bits))
  g <- matrix(g, nrow = 4L * bpv)[seq_len(n), , drop = FALSE]
  dose <- c(2, NA, 1, 0)[g + 1L]
  matrix(dose, nrow = n, dimnames = list(NULL, bim$V2))
}

# A copy of the shipped example panel in a temporary folder (to corrupt in tests).
copy_example_panel <- function(dir) {
  src <- example_panel()
  dst <- file.path(dir, "panel")
  for (ext in c(".bed", ".bim", ".fam")) file.copy(paste0(src, ext), paste0(dst, ext))
  dst
}
