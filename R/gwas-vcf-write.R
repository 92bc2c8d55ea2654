# Writing summary statistics as an IEU GWAS-VCF file (the format of the OpenGWAS downloads).

#' Write summary statistics as a GWAS-VCF file
#'
#' Writes an exposure or outcome table ([format_data()] layout) as an IEU GWAS-VCF file,
#' the format of the OpenGWAS downloads: `REF` is the other allele, `ALT` the effect
#' allele, and the sample column `id` holds `ES:SE:LP:AF:SS:ID` (effect of `ALT`, its
#' standard error, -log10 p, `ALT` frequency, sample size, rsid). Saved as
#' `<gwas_dir>/<id>/<id>.vcf.gz` it is found by its id by [extract_instruments()],
#' [extract_outcome_data()] and [mv_extract_exposures()]; [read_sumstats()] reads it back.
#' Rows are written in the order of chromosome and position (`chr.<type>`,
#' `pos.<type>`; without them, chromosome 1 and positions 1, 2, ...). The file is
#' gzip-compressed when its name ends in `.gz` (not BGZF: fine for mrkit, which streams
#' it, but not indexable by tabix).
#'
#' @param dat Exposure or outcome table.
#' @param file Path of the file to write (directories are created).
#' @param id Sample name (the OpenGWAS id).
#' @param build Genome build written in the `##contig` header lines.
#' @return `file`, invisibly.
#' @export
#' @examples
#' f <- file.path(tempfile(), "ieu-x-1", "ieu-x-1.vcf.gz")
#' write_gwas_vcf(example_exposure, f, id = "ieu-x-1")
#' x <- read_sumstats(f, verbose = FALSE)
#' all.equal(x$beta.exposure[match(example_exposure$SNP, x$SNP)], example_exposure$beta.exposure)
write_gwas_vcf <- function(dat, file, id, build = "HG19/GRCh37") {
  type <- if ("beta.exposure" %in% names(dat)) "exposure" else "outcome"
  col <- function(x) paste0(x, ".", type)
  check_columns(dat, c("SNP", col("beta"), col("se"), col("effect_allele"), col("other_allele")))
  if (!is.character(id) || length(id) != 1L || is.na(id) || !nzchar(id)) {
    abort_mrkit("parameter", "{.arg id} must be a single name.")
  }
  n <- nrow(dat)
  num <- function(x) if (x %in% names(dat)) suppressWarnings(as.numeric(dat[[x]])) else rep(NA_real_, n)
  chr <- if (col("chr") %in% names(dat)) as.character(dat[[col("chr")]]) else rep("1", n)
  pos <- if (col("pos") %in% names(dat)) num(col("pos")) else seq_len(n)
  beta <- num(col("beta")); se <- num(col("se")); p <- num(col("pval"))
  # -log10 p; where p is missing or underflowed to 0, from z on the log scale.
  lp <- -log10(p)
  z_lp <- -(log(2) + stats::pnorm(-abs(beta / se), log.p = TRUE)) / log(10)
  lp[is.na(lp) | !is.finite(lp)] <- z_lp[is.na(lp) | !is.finite(lp)]
  lp <- pmax(lp, 0)
  fmt <- function(x) ifelse(is.na(x), ".", sprintf("%.8g", x))
  ss <- num(col("samplesize"))
  sample <- paste(fmt(beta), fmt(se), fmt(lp), fmt(num(col("eaf"))),
                  ifelse(is.na(ss), ".", format(round(ss), scientific = FALSE, trim = TRUE)),
                  dat$SNP, sep = ":")
  chr_key <- suppressWarnings(as.numeric(sub("^chr", "", chr)))
  o <- order(ifelse(is.na(chr_key), 99, chr_key), chr, pos)
  body <- paste(chr, format(pos, scientific = FALSE, trim = TRUE), dat$SNP,
                toupper(dat[[col("other_allele")]]), toupper(dat[[col("effect_allele")]]),
                ".", "PASS", ".", "ES:SE:LP:AF:SS:ID", sample, sep = "\t")[o]
  header <- c("##fileformat=VCFv4.2",
              '##FORMAT=<ID=ES,Number=A,Type=Float,Description="Effect size estimate relative to the alternative allele">',
              '##FORMAT=<ID=SE,Number=A,Type=Float,Description="Standard error of effect size estimate">',
              '##FORMAT=<ID=LP,Number=A,Type=Float,Description="-log10 p-value for effect estimate">',
              '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency in the association study">',
              '##FORMAT=<ID=SS,Number=A,Type=Float,Description="Sample size used to estimate genetic effect">',
              '##FORMAT=<ID=ID,Number=1,Type=String,Description="Study variant identifier">',
              sprintf("##contig=<ID=%s,assembly=%s>", unique(chr[o]), build),
              sprintf("##SAMPLE=<ID=%s,TotalVariants=%d>", id, n),
              paste(c("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", id), collapse = "\t"))
  dir.create(dirname(file), recursive = TRUE, showWarnings = FALSE)
  con <- if (grepl("\\.gz$", file)) gzfile(file, "w") else file(file, "w")
  on.exit(close(con))
  writeLines(c(header, body), con)
  invisible(file)
}
