#' Format summary statistics as exposure or outcome data
#'
#' Cleans a table of GWAS summary statistics and renames its columns to 'TwoSampleMR''s
#' layout (`SNP`, `beta.exposure`, `se.exposure`, ... or the `.outcome` equivalents), ready
#' for [harmonise_data()]. The rules are those of `TwoSampleMR::format_data()`
#' (Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}):
#'
#' * Only the 18 named columns are kept. `SNP` is lower-cased and stripped of white space;
#'   rows without a SNP are dropped; `snps` keeps only the listed variants.
#' * Without `phenotype_col` the phenotype is called `type` ("exposure" or "outcome").
#' * `log_pval = TRUE` reads the p-value column as `-log10(p)`.
#' * Rows are grouped by phenotype (sorted); a SNP repeated within a phenotype keeps its
#'   first row.
#' * `beta` must be finite, `se` finite and positive, `eaf` strictly between 0 and 1,
#'   `pval` in `[0, 1]`; other values become `NA`. p-values below `min_pval` are raised to
#'   it. Missing p-values are inferred as `2 * pnorm(-abs(beta) / se)` where possible and
#'   `pval_origin` says "reported" or "inferred".
#' * Alleles read as logical (`T` becomes `TRUE` when a file is read) are turned back
#'   into "T"/"F"; alleles are upper-cased and must be made of A, C, G, T only, or be
#'   "D"/"I"; other values become `NA` and the variant gets `mr_keep = FALSE`.
#' * A missing sample size is `ncase + ncontrol` where both are known.
#' * `units` is kept (and copied to `units.<type>_dat`); when any phenotype has more than
#'   one unit, every phenotype name gets its unit appended ("name (unit)"), as
#'   'TwoSampleMR' does.
#' * Without `id_col`, every phenotype gets a random 6-character id drawn from R's random
#'   number generator (so `set.seed()` reproduces it).
#' * `mr_keep.<type>` is `TRUE` when SNP, beta, se and effect allele are all present.
#'
#' Differences from 'TwoSampleMR', none of which changes a number:
#' * data.table and tibble inputs are converted to a plain data frame (TwoSampleMR stops).
#' * Every value set to `NA`, every p-value raised to `min_pval` and every row dropped is
#'   recorded in `attr(result, "audit")`, a data frame with columns `SNP`, `column`, `value`
#'   (the original value, as text) and `reason`; one classed warning
#'   (`mrkit_warning_format`) summarises it. Duplicated SNPs give their own classed
#'   warning (`mrkit_warning_duplicated_snps`).
#' * `log_pval` transforms the column named by `pval_col` (TwoSampleMR uses a column
#'   literally called `pval`).
#'
#' @param dat A data frame (data.table and tibble are converted).
#' @param type `"exposure"` or `"outcome"`: the suffix of the output columns.
#' @param snps Optional character vector of SNPs to keep.
#' @param header Kept for compatibility with 'TwoSampleMR'; unused.
#' @param phenotype_col,snp_col,beta_col,se_col,eaf_col,effect_allele_col,other_allele_col,pval_col,units_col,ncase_col,ncontrol_col,samplesize_col,gene_col,id_col,z_col,info_col,chr_col,pos_col
#'   Names of the input columns holding each quantity. Absent columns are allowed (the
#'   output gets `NA` for the MR columns).
#' @param min_pval Smallest allowed p-value.
#' @param log_pval Whether the p-value column holds `-log10(p)`.
#' @return A data frame in 'TwoSampleMR''s exposure or outcome layout with attribute
#'   `audit`.
#' @export
#' @examples
#' raw <- data.frame(SNP = c("rs1", " RS2", "rs3"), beta = c(0.1, -0.2, 0.3),
#'                   se = c(0.01, 0.02, 0), effect_allele = c("a", "G", "T"),
#'                   other_allele = c("G", "A", "C"), eaf = c(0.2, 0.6, 1.2),
#'                   pval = c(1e-8, NA, 1e-5), Phenotype = "Trait", id = "trait1")
#' dat <- suppressWarnings(format_data(raw))
#' dat
#' attr(dat, "audit")
format_data <- function(dat, type = "exposure", snps = NULL, header = TRUE,
                        phenotype_col = "Phenotype", snp_col = "SNP", beta_col = "beta",
                        se_col = "se", eaf_col = "eaf", effect_allele_col = "effect_allele",
                        other_allele_col = "other_allele", pval_col = "pval",
                        units_col = "units", ncase_col = "ncase", ncontrol_col = "ncontrol",
                        samplesize_col = "samplesize", gene_col = "gene", id_col = "id",
                        min_pval = 1e-200, z_col = "z", info_col = "info", chr_col = "chr",
                        pos_col = "pos", log_pval = FALSE) {
  if (!is.data.frame(dat)) {
    abort_mrkit("input_type", "{.arg dat} must be a data frame, not {.cls {class(dat)}}.")
  }
  if (!is.character(type) || length(type) != 1L || !type %in% c("exposure", "outcome")) {
    abort_mrkit("parameter", "{.arg type} must be {.val exposure} or {.val outcome}.")
  }
  if (!is.numeric(min_pval) || length(min_pval) != 1L || is.na(min_pval) || min_pval < 0) {
    abort_mrkit("parameter", "{.arg min_pval} must be a single number >= 0.")
  }
  dat <- as_plain_df(dat)
  cols <- list(phenotype = phenotype_col, SNP = snp_col, beta = beta_col, se = se_col,
               eaf = eaf_col, effect_allele = effect_allele_col,
               other_allele = other_allele_col, pval = pval_col, units = units_col,
               ncase = ncase_col, ncontrol = ncontrol_col, samplesize = samplesize_col,
               gene = gene_col, id = id_col, z = z_col, info = info_col, chr = chr_col,
               pos = pos_col)
  for (nm in names(cols)) {
    if (!is.character(cols[[nm]]) || length(cols[[nm]]) != 1L || is.na(cols[[nm]])) {
      abort_mrkit("parameter", "{.arg {nm}_col} must be a single column name.")
    }
  }
  keep <- names(dat) %in% unlist(cols)
  if (!any(keep)) {
    abort_mrkit("missing_column", c("None of the specified columns is present in {.arg dat}.",
                                    i = "Columns of {.arg dat}: {.field {names(dat)}}."))
  }
  if (!snp_col %in% names(dat)) {
    abort_mrkit("missing_column", c("SNP column {.field {snp_col}} not found in {.arg dat}.",
                                    i = "Columns of {.arg dat}: {.field {names(dat)}}."))
  }
  dat <- dat[, keep, drop = FALSE]
  audit <- new_audit()
  sfx <- function(x) paste0(x, ".", type)
  # Rename in place, at the first column of that name, as TwoSampleMR does.
  rename_first <- function(dat, from, to) {
    i <- which(names(dat) == from)[1L]
    if (!is.na(i)) names(dat)[i] <- to
    dat
  }

  dat <- rename_first(dat, snp_col, "SNP")
  snp_raw <- dat$SNP
  dat$SNP <- gsub("[[:space:]]", "", tolower(as.character(dat$SNP)))
  na_snp <- is.na(dat$SNP)
  if (any(na_snp)) {
    audit <- add_audit(audit, NA_character_, "SNP", NA_character_, "missing SNP; row dropped",
                       n = sum(na_snp))
    dat <- dat[!na_snp, , drop = FALSE]
  }
  if (!is.null(snps)) {
    dat <- dat[dat$SNP %in% snps, , drop = FALSE]
    if (nrow(dat) == 0L) {
      abort_mrkit("no_snps", "No SNPs specified in {.arg snps} are present in {.arg dat}.")
    }
  }

  if (!phenotype_col %in% names(dat)) {
    cli::cli_inform("No phenotype name specified, defaulting to {.val {type}}.")
    dat[[type]] <- rep(type, nrow(dat))
  } else {
    dat[[type]] <- dat[[phenotype_col]]
    if (phenotype_col != type) dat[[phenotype_col]] <- NULL
  }

  if (isTRUE(log_pval) && pval_col %in% names(dat)) {
    dat[[pval_col]] <- 10^-as.numeric(dat[[pval_col]])
  }

  # Group rows by phenotype (sorted, stable) and keep the first row of a repeated SNP.
  dat <- dat[order(dat[[type]]), , drop = FALSE]
  dup <- duplicated(paste(dat[[type]], dat$SNP, sep = "\r"))
  if (any(dup)) {
    dsnp <- dat$SNP[dup]
    audit <- add_audit(audit, dsnp, "SNP", dsnp,
                       paste0("duplicated SNP within phenotype '", dat[[type]][dup],
                              "'; first row kept, this one dropped"))
    warn_mrkit("duplicated_snps",
               c("{length(dsnp)} duplicated SNP{?s} within a phenotype; the first row of each is kept.",
                 i = "Dropped: {.val {utils::head(unique(dsnp), 10)}}{if (length(unique(dsnp)) > 10) ' ...' else ''}."))
    dat <- dat[!dup, , drop = FALSE]
  }

  required <- c(snp_col, beta_col, se_col, effect_allele_col)
  absent_req <- setdiff(c(beta_col, se_col, effect_allele_col), names(dat))
  if (length(absent_req)) {
    warn_mrkit("missing_mr_columns",
               c("Column{?s} {.field {absent_req}} required for MR {?is/are} absent.",
                 i = "{.field mr_keep.{type}} is FALSE for every row."))
    mr_keep <- rep(FALSE, nrow(dat))
  } else {
    mr_keep <- rep(TRUE, nrow(dat))
  }
  absent_des <- setdiff(c(other_allele_col, eaf_col), names(dat))
  if (length(absent_des)) {
    warn_mrkit("missing_harmonisation_columns",
               "Column{?s} {.field {absent_des}} {?is/are} absent; harmonisation will be less certain.")
  }
  dat[[sfx("mr_keep")]] <- mr_keep

  # Numeric columns with their validity rules.
  clean_numeric <- function(dat, audit, col, out, bad_fun, reason) {
    i <- which(names(dat) == col)[1L]
    if (is.na(i)) return(list(dat = dat, audit = audit))
    names(dat)[i] <- out
    raw <- dat[[out]]
    x <- to_numeric(raw)
    bad <- bad_fun(x)
    bad[is.na(bad)] <- TRUE
    report <- bad & !is.na(raw)
    if (is.character(raw)) report <- report & nzchar(raw)
    if (any(report)) {
      audit <- add_audit(audit, dat$SNP[report], out, as.character(raw[report]), reason)
    }
    x[bad] <- NA
    dat[[out]] <- x
    list(dat = dat, audit = audit)
  }
  r <- clean_numeric(dat, audit, beta_col, sfx("beta"), function(x) !is.finite(x),
                     "beta not a finite number; set to NA")
  r <- clean_numeric(r$dat, r$audit, se_col, sfx("se"), function(x) !is.finite(x) | x <= 0,
                     "se not a positive finite number; set to NA")
  r <- clean_numeric(r$dat, r$audit, eaf_col, sfx("eaf"),
                     function(x) !is.finite(x) | x <= 0 | x >= 1,
                     "eaf not strictly between 0 and 1; set to NA")
  dat <- r$dat
  audit <- r$audit

  # Alleles.
  for (al in c("effect_allele", "other_allele")) {
    col <- cols[[al]]
    i <- which(names(dat) == col)[1L]
    if (is.na(i)) next
    out <- sfx(al)
    names(dat)[i] <- out
    x <- dat[[out]]
    if (is.logical(x)) x <- substr(as.character(x), 1L, 1L)
    x <- toupper(as.character(x))
    bad <- !(grepl("^[ACGT]+$", x) | x %in% c("D", "I"))
    bad[is.na(bad)] <- TRUE
    if (any(bad)) {
      audit <- add_audit(audit, dat$SNP[bad], out, x[bad],
                         ifelse(is.na(x[bad]), paste(al, "missing; mr_keep set to FALSE"),
                                paste(al, "not A/C/G/T or D/I; set to NA, mr_keep set to FALSE")))
      x[bad] <- NA
      dat[[sfx("mr_keep")]][bad] <- FALSE
    }
    dat[[out]] <- x
  }

  # p-values.
  bcol <- sfx("beta"); scol <- sfx("se"); pcol <- sfx("pval"); ocol <- sfx("pval_origin")
  i <- which(names(dat) == pval_col)[1L]
  if (!is.na(i)) {
    names(dat)[i] <- pcol
    raw <- dat[[pcol]]
    p <- to_numeric(raw)
    bad <- !is.finite(p) | p < 0 | p > 1
    bad[is.na(bad)] <- TRUE
    p[bad] <- NA
    low <- !is.na(p) & p < min_pval
    if (any(low)) {
      audit <- add_audit(audit, dat$SNP[low], pcol, as.character(p[low]),
                         paste0("p-value below min_pval; set to ", format(min_pval)))
    }
    p[low] <- min_pval
    origin <- rep("reported", nrow(dat))
    can_infer <- bcol %in% names(dat) && scol %in% names(dat)
    if (any(bad) && can_infer) {
      p[bad] <- p_normal_two_sided(dat[[bcol]][bad] / dat[[scol]][bad])
      origin[bad] <- "inferred"
    }
    rep_bad <- bad & !is.na(raw)
    if (any(rep_bad)) {
      audit <- add_audit(audit, dat$SNP[rep_bad], pcol, as.character(raw[rep_bad]),
                         if (can_infer) "p-value not in [0, 1]; inferred from beta and se"
                         else "p-value not in [0, 1]; set to NA")
    }
    dat[[pcol]] <- p
    dat[[ocol]] <- origin
  }
  if (bcol %in% names(dat) && scol %in% names(dat) && !pcol %in% names(dat)) {
    cli::cli_inform("Inferring p-values from beta and se.")
    dat[[pcol]] <- p_normal_two_sided(dat[[bcol]] / dat[[scol]])
    dat[[ocol]] <- rep("inferred", nrow(dat))
  }

  # Sample sizes.
  for (nm in c("ncase", "ncontrol", "samplesize")) {
    col <- cols[[nm]]
    i <- which(names(dat) == col)[1L]
    if (is.na(i)) next
    names(dat)[i] <- sfx(nm)
    raw <- dat[[sfx(nm)]]
    dat[[sfx(nm)]] <- to_numeric(raw)
  }
  has_cc <- sfx("ncase") %in% names(dat) && sfx("ncontrol") %in% names(dat)
  if (sfx("samplesize") %in% names(dat)) {
    if (has_cc) {
      fill <- is.na(dat[[sfx("samplesize")]]) & !is.na(dat[[sfx("ncase")]]) &
        !is.na(dat[[sfx("ncontrol")]])
      if (any(fill)) {
        cli::cli_inform("Generating sample size from ncase and ncontrol.")
        dat[[sfx("samplesize")]][fill] <- dat[[sfx("ncase")]][fill] + dat[[sfx("ncontrol")]][fill]
      }
    }
  } else if (has_cc) {
    cli::cli_inform("Generating sample size from ncase and ncontrol.")
    dat[[sfx("samplesize")]] <- dat[[sfx("ncase")]] + dat[[sfx("ncontrol")]]
  }

  for (nm in c("gene", "info", "z", "chr", "pos")) {
    dat <- rename_first(dat, cols[[nm]], sfx(nm))
  }
  ucol <- sfx("units")
  if (units_col %in% names(dat)) {
    dat <- rename_first(dat, units_col, ucol)
    dat[[paste0(ucol, "_dat")]] <- as.character(dat[[ucol]])
    n_units <- tapply(dat[[ucol]], dat[[type]], function(u) length(unique(u)))
    if (any(n_units > 1L, na.rm = TRUE)) {
      multi <- names(n_units)[n_units > 1L]
      warn_mrkit("units", c("More than one unit for phenotype{?s} {.val {multi}}.",
                            i = "Every phenotype name gets its unit appended, as in 'TwoSampleMR'."))
      dat[[type]] <- paste0(dat[[type]], " (", dat[[ucol]], ")")
    }
  }

  idcol <- sfx("id")
  if (id_col %in% names(dat)) {
    dat <- rename_first(dat, id_col, idcol)
    dat[[idcol]] <- as.character(dat[[idcol]])
  } else {
    dat[[idcol]] <- random_ids(dat[[type]])
  }

  # mr_keep requires SNP, beta, se and effect allele.
  mk <- sfx("mr_keep")
  if (any(dat[[mk]])) {
    need <- intersect(c("SNP", bcol, scol, sfx("effect_allele")), names(dat))
    complete <- stats::complete.cases(dat[need])
    newly <- dat[[mk]] & !complete
    if (any(newly)) {
      miss <- rep("", sum(newly))
      for (col in need) {
        w <- is.na(dat[[col]][newly])
        miss[w] <- ifelse(nzchar(miss[w]), paste(miss[w], col, sep = ", "), col)
      }
      audit <- add_audit(audit, dat$SNP[newly], miss, NA_character_,
                         "missing information required for MR; mr_keep set to FALSE")
    }
    dat[[mk]] <- dat[[mk]] & complete
  }
  if (nrow(dat) > 0L && !any(dat[[mk]])) {
    warn_mrkit("no_mr_snps", "None of the SNPs can be used for MR: required information is missing.")
  }

  for (col in c("SNP", bcol, scol, sfx("effect_allele"), sfx("other_allele"), sfx("eaf"))) {
    if (!col %in% names(dat)) dat[[col]] <- rep(NA, nrow(dat))
  }
  rownames(dat) <- NULL
  if (nrow(audit) > 0L) {
    tab <- table(audit$reason)
    lines <- paste0(names(tab), ": ", as.integer(tab))
    names(lines) <- rep("*", length(lines))
    warn_mrkit("format", c("{nrow(audit)} value{?s} cleaned or row{?s} dropped while formatting {type} data.",
                           lines, i = "See {.code attr(x, \"audit\")} for each SNP."))
  }
  attr(dat, "audit") <- audit
  dat
}

# A plain data.frame from a data.frame subclass (data.table, tibble), without copying
# their extra attributes.
as_plain_df <- function(x) {
  if (identical(class(x), "data.frame")) return(x)
  x <- as.data.frame(lapply(x, function(col) col), stringsAsFactors = FALSE,
                     optional = TRUE)
  attr(x, ".internal.selfref") <- NULL
  x
}

# Numeric columns stay as they are (integer stays integer, as in 'TwoSampleMR'); others
# are coerced, text that is not a number becoming NA.
to_numeric <- function(x) {
  if (is.numeric(x)) return(x)
  if (is.factor(x)) x <- as.character(x)
  suppressWarnings(as.numeric(x))
}

new_audit <- function() {
  data.frame(SNP = character(), column = character(), value = character(),
             reason = character(), stringsAsFactors = FALSE)
}

add_audit <- function(audit, snp, column, value, reason, n = length(snp)) {
  if (n == 0L) return(audit)
  rbind(audit, data.frame(SNP = rep_len(as.character(snp), n),
                          column = rep_len(as.character(column), n),
                          value = rep_len(as.character(value), n),
                          reason = rep_len(as.character(reason), n),
                          stringsAsFactors = FALSE))
}

# One random 6-character alphanumeric id per phenotype (sorted levels), drawn from R's RNG
# in the same order as 'TwoSampleMR', so that set.seed() gives the same ids.
random_ids <- function(x) {
  f <- as.factor(x)
  chars <- c(0:9, letters, LETTERS)
  ids <- vapply(seq_along(levels(f)), function(i) {
    paste(sample(chars, 6L, replace = TRUE), collapse = "")
  }, character(1))
  levels(f) <- ids
  as.character(f)
}
