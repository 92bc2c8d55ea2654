#' Harmonise exposure and outcome data to the same effect allele
#'
#' Joins exposure and outcome tables by SNP (every exposure with every outcome) and
#' aligns each outcome effect to the exposure effect allele, with the rules and numbers of
#' `TwoSampleMR::harmonise_data()` (Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}). The whole table is processed at once
#' (vectorised), so a million rows take seconds.
#'
#' Variants are handled by which alleles are known (`A` = exposure, `B` = outcome):
#' * both alleles on both sides ("2-2"): outcome alleles in the other order are swapped
#'   (`beta.outcome` negated, `eaf.outcome` complemented); non-palindromic variants that
#'   still do not match are strand-flipped (A<->T, C<->G) and swapped if needed; alleles
#'   that still disagree are `remove`d. Indels coded "D"/"I" on one side and as sequences
#'   on the other are recoded first (insertion = longer allele).
#' * only the outcome effect allele known ("2-1"), only the exposure effect allele known
#'   ("1-2") or one allele on each side ("1-1"): matched on the single allele with allele
#'   frequencies deciding whether the match is `ambiguous`; palindromic variants are
#'   removed in 2-1 and 1-2.
#' * Palindromic variants (A/T, C/G) are `ambiguous` when either allele frequency lies
#'   in (0.42, 0.58) (a missing frequency counts as 0.5).
#'
#' @section Actions:
#' `action` sets how palindromic variants are treated; it can be a number or one of these
#' readable names:
#' * `1` or `"keep_palindromes"`: assume both studies report the forward strand; keep
#'   palindromic variants as reported. Only incompatible alleles are dropped. (Strand
#'   flipping of non-palindromic variants still happens, as in 'TwoSampleMR'.)
#' * `2` or `"infer_palindromes"` (default): infer the strand of palindromic variants
#'   from allele frequencies; flip `beta.outcome` when the frequencies lie on opposite
#'   sides of 0.5; drop palindromes with intermediate frequencies.
#' * `3` or `"drop_palindromes"`: drop all palindromic variants.
#'
#' `action` is a single value for all outcomes or one value per outcome: an unnamed
#' vector is matched to the outcomes in 'TwoSampleMR''s order (the order in which each
#' `id.outcome` first appears among the joined rows sorted by SNP); a vector named by
#' `id.outcome` is matched by name.
#'
#' @section Output:
#' One row per SNP present in both tables with an effect allele on both sides, for every
#' exposure-outcome pair, ordered by `id.outcome` then exposure (in order of first
#' appearance among the SNP-sorted joined rows) then SNP. Columns: `SNP`, the harmonised
#' alleles, `beta.exposure`, `beta.outcome`, `eaf.exposure`, `eaf.outcome`, `remove`,
#' `palindromic`, `ambiguous`, `id.outcome`, every other outcome and exposure column,
#' `action`, `SNP_index` (occurrence number of the SNP within its pair) and `mr_keep`
#' (and `samplesize.outcome`, `NA`, when the outcome lacks it). `mr_keep` is `FALSE` for
#' removed variants (all actions), ambiguous ones (actions 2 and 3), palindromic ones
#' (action 3) and any variant missing a beta or standard error; the input columns
#' `mr_keep.exposure` and `mr_keep.outcome` are carried along but not used.
#'
#' `attr(result, "log")` has one row per exposure-outcome pair and allele class, with
#' the counts of 'TwoSampleMR''s log (`switched_alleles`, `flipped_alleles_basic`,
#' `flipped_alleles_palindrome`, `flipped_alleles_no_oa`, `incompatible_alleles`,
#' `ambiguous_alleles`, `candidate_variants`, `variants_absent_from_reference`,
#' `total_variants`, `total_variants_for_mr`, `proxy_variants`); counts that do not
#' apply to a class are `NA`.
#'
#' `attr(result, "audit")` (see [harmonise_audit()]) has one row per exposure-outcome
#' pair and exposure SNP, including the variants that 'TwoSampleMR' drops without a word:
#' SNPs missing from the outcome and rows without an effect allele.
#'
#' Problems are caught here, where they start: a SNP repeated within an exposure-outcome
#' pair keeps only its first row for MR (the others get `mr_keep = FALSE`, a warning of
#' class `mrkit_warning_duplicated_snp` and an audit reason); an allele frequency outside
#' \[0, 1\] is set to missing (warning `mrkit_warning_eaf_range`, noted in the audit);
#' empty tables are errors (`mrkit_error_no_data`), and exposure and outcome data passed
#' the wrong way round are an error (`mrkit_error_swapped_arguments`) that says so. A
#' one-line message (class `mrkit_message_harmonise`) says how many variants are left
#' for MR, what was removed and why.
#'
#' Differences from 'TwoSampleMR': missing columns, non-numeric betas or standard errors,
#' no shared SNP and an invalid `action` are classed errors (TwoSampleMR returns an empty
#' table when nothing overlaps); messages are replaced by the audit. When a SNP lacks the
#' exposure other allele and indels are coded differently in the two tables ("1-2" class),
#' mrkit recodes the indel with the exposure and outcome roles the right way round, where
#' 'TwoSampleMR' passes its arguments in the wrong roles. The order of several exposures
#' within one outcome may differ from 'TwoSampleMR', whose order depends on an internal
#' unstable sort.
#'
#' @param exposure_dat Exposure data, as from [format_data()] with `type = "exposure"`:
#'   needs `SNP`, `id.exposure`, `exposure`, `beta.exposure`, `se.exposure`,
#'   `effect_allele.exposure`, `other_allele.exposure` (and ideally `eaf.exposure`).
#' @param outcome_dat Outcome data with the same columns for `outcome`.
#' @param action `1`, `2` or `3`, or `"keep_palindromes"`, `"infer_palindromes"`,
#'   `"drop_palindromes"`; one value, or one per `id.outcome` (see Actions).
#' @return A data frame (see Output) with attributes `log` and `audit`, and `provenance`
#'   when an input has one (as from [extract_instruments()] or [extract_outcome_data()]
#'   with OpenGWAS ids): the inputs' provenance rows, exposure first, with a first column
#'   `role` (`"exposure"` or `"outcome"`).
#' @export
#' @examples
#' sim <- simulate_mr_data(nsnp = 20, output = "separate", flip_prop = 0.3,
#'                         palindromic_prop = 0.2, seed = 1)
#' dat <- harmonise_data(sim$exposure, sim$outcome)
#' head(dat[, c("SNP", "beta.exposure", "beta.outcome", "palindromic", "mr_keep")])
#' attr(dat, "log")
#' table(harmonise_audit(dat)$status)
harmonise_data <- function(exposure_dat, outcome_dat, action = 2) {
  result <- harmonise_tables(exposure_dat, outcome_dat, action)
  inform_harmonise(attr(result, "audit"))
  result
}

# harmonise_data() without its one-line message (the audit still says what was removed),
# for callers that would muffle it anyway (pipelines, scans, screens): for a small pair
# its formatting costs more than the harmonisation itself.
harmonise_quietly <- function(exposure_dat, outcome_dat, action = 2) {
  harmonise_tables(exposure_dat, outcome_dat, action, call = rlang::caller_env())
}

# The work of harmonise_data(); errors name `call`.
harmonise_tables <- function(exposure_dat, outcome_dat, action, call = rlang::caller_env()) {
  check_swapped_arguments(exposure_dat, outcome_dat, call = call)
  provenance <- harmonise_provenance(attr(exposure_dat, "provenance"), attr(outcome_dat, "provenance"))
  exposure_dat <- check_harmonise_input(exposure_dat, "exposure", call = call)
  outcome_dat <- check_harmonise_input(outcome_dat, "outcome", call = call)
  action_in <- check_action(action, call = call)

  # 1. All exposure x outcome rows sharing a SNP.
  pairs <- join_rows(outcome_dat$SNP, exposure_dat$SNP)
  if (length(pairs$o) == 0L) {
    abort_mrkit("no_overlap", c("Exposure and outcome data have no SNP in common.",
                                i = "{nrow(exposure_dat)} exposure and {nrow(outcome_dat)} outcome row{?s}."),
                call = call)
  }
  res <- join_tables(outcome_dat, exposure_dat, pairs)
  # TwoSampleMR's merge() sorts the joined rows by SNP: that order decides which
  # outcome comes first (for `action`), the order of exposures and the SNP_index.
  by_snp <- order_strings(res$SNP)

  ids_out <- unique(res$id.outcome[by_snp])
  action_row <- assign_actions(action_in, ids_out, res$id.outcome, call = call)
  res$action <- action_row

  # 2. Clean the variables TwoSampleMR cleans.
  for (col in c("eaf.exposure", "eaf.outcome")) if (!col %in% names(res)) res[[col]] <- NA_real_
  res$beta.exposure <- as.numeric(res$beta.exposure)
  res$beta.outcome <- as.numeric(res$beta.outcome)
  res$eaf.exposure <- suppressWarnings(as.numeric(res$eaf.exposure))
  eo <- res$eaf.outcome
  if (is.character(eo) || is.factor(eo)) {
    eo <- as.character(eo)
    eo[eo %in% c("NR", "NR ")] <- NA
  }
  res$eaf.outcome <- suppressWarnings(as.numeric(eo))
  # Allele frequencies outside [0, 1] cannot be frequencies: treated as missing.
  bad_eaf <- list()
  for (col in c("eaf.exposure", "eaf.outcome")) {
    bad <- !is.na(res[[col]]) & (res[[col]] < 0 | res[[col]] > 1)
    bad_eaf[[col]] <- bad
    if (any(bad)) {
      snps <- unique(res$SNP[bad])
      warn_mrkit("eaf_range",
                 c("{.field {col}} outside [0, 1] for {length(snps)} SNP{?s} ({.val {utils::head(snps, 5)}}{if (length(snps) > 5) ' ...' else ''}); set to missing.",
                   i = "See {.code harmonise_audit(x)}."))
      res[[col]][bad] <- NA_real_
    }
  }
  for (col in c("effect_allele.exposure", "other_allele.exposure",
                "effect_allele.outcome", "other_allele.outcome")) {
    res[[col]] <- toupper(as.character(res[[col]]))
  }
  res$other_allele.outcome[res$other_allele.outcome %in% ""] <- NA

  # 3. Pairs (combinations) in order: id.outcome, then first appearance of id.exposure.
  ue <- unique(res$id.exposure); uo <- unique(res$id.outcome)
  comb_key <- (match(res$id.exposure, ue) - 1) * length(uo) + match(res$id.outcome, uo)
  comb_first <- unique(comb_key[by_snp])
  ord_out <- order(res$id.outcome[match(comb_first, comb_key)])
  comb_levels <- comb_first[ord_out]
  comb <- match(comb_key, comb_levels)
  snp_code <- match(res$SNP, unique(res$SNP))
  snp_index <- integer(nrow(res))
  snp_index[by_snp] <- occurrence_index(((comb - 1) * max(snp_code) + snp_code)[by_snp])
  res$SNP_index <- snp_index

  # 4. Harmonise every row at once.
  h <- harmonise_alleles(res$effect_allele.exposure, res$other_allele.exposure,
                         res$effect_allele.outcome, res$other_allele.outcome,
                         res$beta.exposure, res$beta.outcome, res$eaf.exposure,
                         res$eaf.outcome, action_row)
  in_class <- !is.na(h$class)

  mr_keep <- rep(TRUE, nrow(res))
  mr_keep[h$remove] <- FALSE
  mr_keep[action_row %in% 2 & h$ambiguous] <- FALSE
  mr_keep[action_row %in% 3 & (h$ambiguous | h$palindromic)] <- FALSE
  miss_num <- is.na(h$beta.exposure) | is.na(h$beta.outcome) | is.na(res$se.exposure) |
    is.na(res$se.outcome)
  mr_keep[miss_num] <- FALSE
  # A SNP repeated within an exposure-outcome pair: only its first row is used.
  dup <- in_class & res$SNP_index > 1L
  mr_keep[dup] <- FALSE
  if (any(dup)) {
    snps <- unique(res$SNP[dup])
    warn_mrkit("duplicated_snp",
               c("{length(snps)} SNP{?s} occur{?s/} more than once in an exposure-outcome pair ({.val {utils::head(snps, 5)}}{if (length(snps) > 5) ' ...' else ''}); only the first row of each is used.",
                 i = "See {.code harmonise_audit(x)}."))
  }

  # 5. Assemble the output in TwoSampleMR's column order.
  lead <- data.frame(SNP = res$SNP, effect_allele.exposure = h$A1,
                     other_allele.exposure = h$A2, effect_allele.outcome = h$B1,
                     other_allele.outcome = h$B2, beta.exposure = h$beta.exposure,
                     beta.outcome = h$beta.outcome, eaf.exposure = h$eaf.exposure,
                     eaf.outcome = h$eaf.outcome, remove = h$remove,
                     palindromic = h$palindromic, ambiguous = h$ambiguous,
                     stringsAsFactors = FALSE)
  harmonised_cols <- c("SNP", "effect_allele.exposure", "other_allele.exposure",
                       "effect_allele.outcome", "other_allele.outcome", "beta.exposure",
                       "beta.outcome", "eaf.exposure", "eaf.outcome")
  rest_cols <- c("id.outcome", setdiff(names(res), c(harmonised_cols, "id.outcome",
                                                     "action", "SNP_index")),
                 "action", "SNP_index")
  all_order <- order(comb, rank_strings(paste0(res$SNP, "_", res$SNP_index)),
                     method = "radix")
  row_order <- all_order[in_class[all_order]]
  result <- subset_columns(c(as.list(lead), as.list(res[rest_cols]),
                             list(mr_keep = mr_keep)), row_order)
  if (!"samplesize.outcome" %in% names(result)) result$samplesize.outcome <- NA

  attr(result, "log") <- harmonise_log(res, h, comb, comb_levels, mr_keep, in_class,
                                       exposure_dat)
  attr(result, "audit") <- harmonise_audit_table(res, h, all_order, mr_keep, miss_num,
                                                 exposure_dat, outcome_dat, dup, bad_eaf)
  if (!is.null(provenance)) attr(result, "provenance") <- provenance
  result
}

# The provenance tables of the exposure and outcome data (the `provenance` attributes
# set by extract_instruments(), extract_outcome_data(), ...) as one table with the
# column `role` ("exposure", "outcome") first; NULL when neither has one.
harmonise_provenance <- function(exposure, outcome) {
  parts <- list(exposure = exposure, outcome = outcome)
  parts <- lapply(names(parts), function(role) {
    p <- parts[[role]]
    if (!is.data.frame(p) || nrow(p) == 0L) return(NULL)
    p <- p[setdiff(names(p), "role")]
    cbind(role = rep(role, nrow(p)), p, stringsAsFactors = FALSE)
  })
  parts <- Filter(Negate(is.null), parts)
  if (!length(parts)) return(NULL)
  out <- bind_rows_fill(parts)
  rownames(out) <- NULL
  out
}

# One line: what harmonisation removed, and where the audit is.
inform_harmonise <- function(audit) {
  pairs <- nrow(unique(audit[c("id.exposure", "id.outcome")]))
  dropped <- audit$status == "dropped"
  short <- c("absent from outcome" = "absent from outcome",
             "missing effect allele in outcome" = "no outcome effect allele",
             "missing effect allele in exposure" = "no exposure effect allele",
             "palindromic with intermediate allele frequency" = "ambiguous palindromic",
             "palindromic (action 3 drops all palindromes)" = "palindromic",
             "incompatible alleles" = "incompatible alleles",
             "missing beta or se" = "missing beta or se",
             "allele frequencies do not confirm a single-allele match" = "unconfirmed allele match",
             "duplicated SNP in the pair (first row used)" = "duplicated")
  what <- if (any(dropped)) {
    why <- sub(";.*$", "", audit$reason[dropped])
    why <- ifelse(why %in% names(short), short[why], why)
    tab <- sort(table(why), decreasing = TRUE)
    paste0(" (", paste0(as.integer(tab), " ", names(tab), collapse = ", "), ")")
  } else {
    ""
  }
  pair_txt <- if (pairs > 1L) paste0(" in ", pairs, " pairs") else ""
  cli::cli_inform(
    paste0("Harmonised: {sum(!dropped)} of {nrow(audit)} variant{?s} kept for MR", pair_txt,
           "; {sum(dropped)} removed", what, ". Audit: {.code harmonise_audit(x)}."),
    class = c("mrkit_message_harmonise", "mrkit_message"))
}

#' Per-SNP audit of a harmonisation
#'
#' What [harmonise_data()] did with every exposure SNP for every exposure-outcome pair,
#' including the variants that 'TwoSampleMR' drops silently (absent from the outcome,
#' or without an effect allele).
#'
#' Status is one of:
#' * `"kept"`: alleles matched as reported;
#' * `"flipped"`: the outcome reports the other allele as effect allele; effects
#'   re-aligned (or, with only the exposure effect allele known, the exposure effect);
#' * `"strand_flipped"`: alleles matched after taking the complementary strand;
#' * `"palindromic_inferred"`: a palindromic variant kept because the allele frequencies
#'   tell the strand (with action 2; `reason` says whether the effect was flipped);
#' * `"dropped"`: not usable for MR (`mr_keep = FALSE`) or not in the output at all;
#'   `reason` says why: "incompatible alleles", "palindromic with intermediate allele
#'   frequency", "palindromic (action 3 drops all palindromes)", "allele frequencies do
#'   not confirm a single-allele match", "missing beta or se", "missing effect allele in
#'   outcome", "missing effect allele in exposure" or "absent from outcome".
#'
#' @param dat The result of [harmonise_data()].
#' @return A data frame with columns `id.exposure`, `id.outcome`, `SNP`, `status`,
#'   `reason`.
#' @export
#' @examples
#' sim <- simulate_mr_data(nsnp = 10, output = "separate", flip_prop = 0.5, seed = 2)
#' harmonise_audit(harmonise_data(sim$exposure, sim$outcome))
harmonise_audit <- function(dat) {
  a <- attr(dat, "audit")
  if (!is.data.frame(a)) {
    abort_mrkit("input_type", c("{.arg dat} has no harmonisation audit.",
                                i = "Pass the result of {.fn harmonise_data}."))
  }
  a
}

# ---- input checks ---------------------------------------------------------------------

# Exposure data in the outcome argument and outcome data in the exposure argument.
check_swapped_arguments <- function(exposure_dat, outcome_dat, call = rlang::caller_env()) {
  if (!is.data.frame(exposure_dat) || !is.data.frame(outcome_dat)) return(invisible())
  looks <- function(d, type) all(paste0(c("beta.", "se.", "effect_allele."), type) %in% names(d))
  if (!looks(exposure_dat, "exposure") && looks(exposure_dat, "outcome") &&
      looks(outcome_dat, "exposure")) {
    abort_mrkit("swapped_arguments",
                c("{.arg exposure_dat} holds outcome data and {.arg outcome_dat} exposure data.",
                  i = "The arguments may be swapped: call {.code harmonise_data(exposure_dat, outcome_dat)}, exposure first."),
                call = call)
  }
  invisible()
}

check_harmonise_input <- function(dat, type, call = rlang::caller_env()) {
  arg <- paste0(type, "_dat")
  if (!is.data.frame(dat)) {
    abort_mrkit("input_type", "{.arg {arg}} must be a data frame, not {.cls {class(dat)}}.",
                call = call)
  }
  dat <- as_plain_df(dat)
  if (nrow(dat) == 0L) {
    abort_mrkit("no_data", "{.arg {arg}} has no rows.", call = call)
  }
  required <- c("SNP", paste0(c("id.", "", "beta.", "se.", "effect_allele.", "other_allele."),
                              type))
  missing <- setdiff(required, names(dat))
  if (length(missing)) {
    abort_mrkit("missing_column",
                c("{.arg {arg}} lacks required column{?s} {.field {missing}}.",
                  i = "{.fn format_data} with {.code type = \"{type}\"} creates them."),
                call = call)
  }
  for (col in paste0(c("beta.", "se."), type)) {
    x <- dat[[col]]
    if (!(is.numeric(x) || (is.logical(x) && all(is.na(x))))) {
      abort_mrkit("input_type",
                  c("Column {.field {col}} of {.arg {arg}} must be numeric.",
                    x = "It is {.cls {class(x)}}.",
                    i = "{.fn format_data} converts and checks it."), call = call)
    }
  }
  dat$SNP <- as.character(dat$SNP)
  dat
}

action_names <- c(keep_palindromes = 1, infer_palindromes = 2, drop_palindromes = 3)

check_action <- function(action, call = rlang::caller_env()) {
  nms <- names(action)
  if (is.character(action)) {
    bad <- setdiff(action, names(action_names))
    if (length(bad) || anyNA(action)) {
      abort_mrkit("invalid_action",
                  c("{.arg action} must be 1, 2, 3 or one of {.val {names(action_names)}}.",
                    x = "Got {.val {as.character(action)}}."), call = call)
    }
    action <- unname(action_names[action])
  }
  if (!is.numeric(action) || length(action) == 0L || anyNA(action) ||
      !all(action %in% 1:3)) {
    abort_mrkit("invalid_action",
                c("{.arg action} must be 1, 2, 3 or one of {.val {names(action_names)}}.",
                  x = "Got {.val {format(action)}}."), call = call)
  }
  names(action) <- nms
  action
}

assign_actions <- function(action, ids_out, id_row, call = rlang::caller_env()) {
  n <- length(ids_out)
  if (length(action) == 1L) return(rep(unname(action), length(id_row)))
  if (!is.null(names(action))) {
    if (!setequal(names(action), ids_out) || anyDuplicated(names(action))) {
      abort_mrkit("invalid_action",
                  c("A named {.arg action} needs one value for each {.field id.outcome}.",
                    x = "Outcome ids in the joined data: {.val {ids_out}}."), call = call)
    }
    return(unname(action[id_row]))
  }
  if (length(action) != n) {
    abort_mrkit("invalid_action",
                c("{.arg action} must have length 1 or one value per {.field id.outcome} ({n}).",
                  x = "It has length {length(action)}."), call = call)
  }
  unname(action[match(id_row, ids_out)])
}

# ---- joining --------------------------------------------------------------------------

# Indices of all (outcome row, exposure row) pairs with the same SNP, outcome rows in order.
join_rows <- function(snp_out, snp_exp) {
  keys <- unique(snp_exp)
  ge <- match(snp_exp, keys)
  go <- match(snp_out, keys)
  cnt <- tabulate(ge, length(keys))
  ord_e <- order(ge, method = "radix")
  start <- c(0L, cumsum(cnt))[seq_along(keys)]
  has <- which(!is.na(go))
  n_each <- cnt[go[has]]
  o <- rep(has, n_each)
  within <- sequence(n_each)
  e <- ord_e[rep(start[go[has]], n_each) + within]
  list(o = o, e = e)
}

# The joined table: SNP, outcome columns, exposure columns (shared names get .x/.y as
# merge() gives them).
join_tables <- function(outcome_dat, exposure_dat, pairs) {
  oc <- setdiff(names(outcome_dat), "SNP")
  ec <- setdiff(names(exposure_dat), "SNP")
  both <- intersect(oc, ec)
  o <- lapply(outcome_dat[oc], function(x) x[pairs$o])
  e <- lapply(exposure_dat[ec], function(x) x[pairs$e])
  names(o)[names(o) %in% both] <- paste0(names(o)[names(o) %in% both], ".x")
  names(e)[names(e) %in% both] <- paste0(names(e)[names(e) %in% both], ".y")
  new_df(c(list(SNP = outcome_dat$SNP[pairs$o]), o, e))
}

# A data frame from a named list of equal-length columns, without data.frame()'s checks.
new_df <- function(cols) {
  n <- if (length(cols)) length(cols[[1L]]) else 0L
  structure(cols, class = "data.frame", row.names = .set_row_names(n))
}

subset_columns <- function(cols, i) new_df(lapply(cols, function(x) x[i]))

# Sort order / ranks of strings in the collation of the current locale (as order() and
# merge() use). In the C locale the collation is byte order, and the fast radix sort
# gives the same result.
c_collation <- function() {
  Sys.getlocale("LC_COLLATE") %in% c("C", "POSIX", "C.UTF-8", "C.utf8")
}

order_strings <- function(x) {
  if (c_collation()) order(x, method = "radix") else order(x)
}

rank_strings <- function(x) {
  u <- unique(x)
  ou <- order_strings(u)
  r <- integer(length(u))
  r[ou] <- seq_along(u)
  r[match(x, u)]
}

# Occurrence number of each element among equal elements, in order.
occurrence_index <- function(key) {
  g <- match(key, key)
  o <- order(g, method = "radix")
  gs <- g[o]
  idx <- integer(length(key))
  idx[o] <- seq_along(gs) - match(gs, gs) + 1L
  idx
}

# ---- allele harmonisation (vectorised over all rows) -----------------------------------

flip_strand <- function(x) chartr("ACGT", "TGCA", x)

is_palindromic <- function(a1, a2) {
  (a1 == "A" & a2 == "T") | (a1 == "T" & a2 == "A") |
    (a1 == "G" & a2 == "C") | (a1 == "C" & a2 == "G")
}

# Frequency bounds of an "intermediate" allele frequency: tolerance 0.08, hard-coded in
# TwoSampleMR; computed the same way so the boundaries are the same doubles.
freq_bounds <- function(tolerance = 0.08) c(0.5 - tolerance, 0.5 + tolerance)

harmonise_alleles <- function(A1, A2, B1, B2, bA, bB, fA, fB, action) {
  n <- length(A1)
  cls <- rep(NA_character_, n)
  ok_a <- !is.na(A1); ok_b <- !is.na(B1)
  cls[ok_a & !is.na(A2) & ok_b & !is.na(B2)] <- "2-2"
  cls[ok_a & !is.na(A2) & ok_b & is.na(B2)] <- "2-1"
  cls[ok_a & is.na(A2) & ok_b & !is.na(B2)] <- "1-2"
  cls[ok_a & is.na(A2) & ok_b & is.na(B2)] <- "1-1"
  out <- list(A1 = A1, A2 = A2, B1 = B1, B2 = B2, beta.exposure = bA, beta.outcome = bB,
              eaf.exposure = fA, eaf.outcome = fB, remove = rep(FALSE, n),
              palindromic = rep(FALSE, n), ambiguous = rep(FALSE, n), class = cls,
              switched = rep(FALSE, n), flipped_basic = rep(FALSE, n),
              flipped_palindrome = rep(FALSE, n), flipped_no_oa = rep(FALSE, n),
              neg_out = rep(FALSE, n), neg_exp = rep(FALSE, n), strand = rep(FALSE, n))
  fns <- list("2-2" = harmonise_22, "2-1" = harmonise_21, "1-2" = harmonise_12,
              "1-1" = harmonise_11)
  for (k in names(fns)) {
    i <- which(cls == k)
    if (!length(i)) next
    r <- fns[[k]](A1[i], A2[i], B1[i], B2[i], bA[i], bB[i], fA[i], fB[i], action[i])
    for (nm in names(r)) out[[nm]][i] <- r[[nm]]
  }
  out
}

swap_result <- function(A1, A2, B1, B2, bA, bB, fA, fB, remove, pal, amb, ...) {
  list(A1 = A1, A2 = A2, B1 = B1, B2 = B2, beta.exposure = bA, beta.outcome = bB,
       eaf.exposure = fA, eaf.outcome = fB, remove = remove, palindromic = pal,
       ambiguous = amb, ...)
}

indel_coded <- function(x) x %in% c("D", "I")

harmonise_22 <- function(A1, A2, B1, B2, bA, bB, fA, fB, action) {
  indel <- nchar(A1) > 1L | nchar(A2) > 1L | indel_coded(A1)
  keep_indel <- rep(TRUE, length(A1))
  if (any(indel)) {
    r <- recode_indels_22(A1[indel], A2[indel], B1[indel], B2[indel])
    A1[indel] <- r$A1; A2[indel] <- r$A2; B1[indel] <- r$B1; B2[indel] <- r$B2
    keep_indel[indel] <- r$keep
  }
  neg <- rep(FALSE, length(A1))
  # Outcome alleles in the other order: swap.
  sw1 <- A1 == B2 & A2 == B1
  tmp <- B1[sw1]; B1[sw1] <- B2[sw1]; B2[sw1] <- tmp
  bB[sw1] <- -bB[sw1]; fB[sw1] <- 1 - fB[sw1]; neg[sw1] <- !neg[sw1]
  pal <- is_palindromic(A1, A2)
  # Non-palindromic and still different: try the other strand, then swap again.
  fl <- !pal & !(A1 == B1 & A2 == B2)
  B1[fl] <- flip_strand(B1[fl]); B2[fl] <- flip_strand(B2[fl])
  sw2 <- A1 == B2 & A2 == B1
  tmp <- B1[sw2]; B1[sw2] <- B2[sw2]; B2[sw2] <- tmp
  bB[sw2] <- -bB[sw2]; fB[sw2] <- 1 - fB[sw2]; neg[sw2] <- !neg[sw2]
  remove <- !(A1 == B1 & A2 == B2) | !keep_indel
  b <- freq_bounds()
  tA <- fA; tA[is.na(tA)] <- 0.5
  tB <- fB; tB[is.na(tB)] <- 0.5
  amb <- ((tA > b[1] & tA < b[2]) | (tB > b[1] & tB < b[2])) & pal
  palflip <- action == 2 & pal & !remove & ((tA < 0.5 & tB > 0.5) | (tA > 0.5 & tB < 0.5))
  bB[palflip] <- -bB[palflip]; fB[palflip] <- 1 - fB[palflip]
  swap_result(A1, A2, B1, B2, bA, bB, fA, fB, remove, pal, amb, switched = sw1,
              flipped_basic = fl, flipped_palindrome = palflip, neg_out = neg,
              strand = fl & !remove)
}

harmonise_21 <- function(A1, A2, B1, B2, bA, bB, fA, fB, action) {
  n <- length(A1)
  B2 <- rep(NA_character_, n)
  amb <- rep(FALSE, n)
  pal <- is_palindromic(A1, A2)
  remove <- pal
  indel <- nchar(A1) > 1L | nchar(A2) > 1L | indel_coded(A1)
  if (any(indel)) {
    r <- recode_indels_21(A1[indel], A2[indel], B1[indel])
    A1[indel] <- r$A1; A2[indel] <- r$A2; B1[indel] <- r$B1; B2[indel] <- r$B2
    remove[indel][!r$keep] <- TRUE
  }
  m <- single_allele_match(A1, A2, B1, B2, bB, fB, fA, amb)
  swap_result(A1, A2, m$B1, m$B2, bA, m$beta, fA, m$f, remove, pal, m$amb | pal,
              switched = m$switched, flipped_no_oa = m$flipped, neg_out = m$neg,
              strand = m$flipped)
}

# Match the outcome's single effect allele B1 to exposure alleles (A1, A2): as is, swapped,
# or after a strand flip; frequencies decide ambiguity.
single_allele_match <- function(A1, A2, B1, B2, bB, fB, fA, amb) {
  b <- freq_bounds()
  tA <- fA; tA[is.na(tA)] <- 0.5
  tB <- fB; tB[is.na(tB)] <- 0.5
  similar <- (tA < b[1] & tB < b[1]) | (tA > b[2] & tB > b[2])
  opposite <- (tA < b[1] & tB > b[2]) | (tA > b[2] & tB < b[1])
  neg <- rep(FALSE, length(A1))
  s1 <- A1 == B1
  amb[s1 & !similar] <- TRUE
  B2[s1] <- A2[s1]
  sw <- A2 == B1
  amb[sw & !opposite] <- TRUE
  B2[sw] <- B1[sw]; B1[sw] <- A1[sw]
  bB[sw] <- -bB[sw]; fB[sw] <- 1 - fB[sw]; neg[sw] <- TRUE
  fl <- A1 != B1 & A2 != B1
  amb[fl] <- TRUE
  B1[fl] <- flip_strand(B1[fl])
  s1 <- A1 == B1
  B2[s1] <- A2[s1]
  sw2 <- A2 == B1
  B2[sw2] <- B1[sw2]; B1[sw2] <- A1[sw2]
  bB[sw2] <- -bB[sw2]; fB[sw2] <- 1 - fB[sw2]; neg[sw2] <- !neg[sw2]
  list(B1 = B1, B2 = B2, beta = bB, f = fB, amb = amb, switched = sw, flipped = fl,
       neg = neg)
}

harmonise_12 <- function(A1, A2, B1, B2, bA, bB, fA, fB, action) {
  n <- length(A1)
  A2 <- rep(NA_character_, n)
  amb <- rep(FALSE, n)
  pal <- is_palindromic(B1, B2)
  remove <- pal
  indel <- nchar(B1) > 1L | nchar(B2) > 1L | indel_coded(B1)
  if (any(indel)) {
    r <- recode_indels_12(A1[indel], B1[indel], B2[indel])
    A1[indel] <- r$A1; A2[indel] <- r$A2; B1[indel] <- r$B1; B2[indel] <- r$B2
    remove[indel][!r$keep] <- TRUE
  }
  b <- freq_bounds()
  tA <- fA; tA[is.na(tA)] <- 0.5
  tB <- fB; tB[is.na(tB)] <- 0.5
  similar <- (tA < b[1] & tB < b[1]) | (tA > b[2] & tB > b[2])
  opposite <- (tA < b[1] & tB > b[2]) | (tA > b[2] & tB < b[1])
  neg_e <- rep(FALSE, n); neg_o <- rep(FALSE, n)
  s1 <- A1 == B1
  amb[s1 & !similar] <- TRUE
  A2[s1] <- B2[s1]
  sw <- A1 == B2
  amb[sw & !opposite] <- TRUE
  A2[sw] <- A1[sw]; A1[sw] <- B1[sw]
  bA[sw] <- -bA[sw]; fA[sw] <- 1 - fA[sw]; neg_e[sw] <- TRUE
  fl <- A1 != B1 & A1 != B2
  amb[fl] <- TRUE
  A1[fl] <- flip_strand(A1[fl])
  s1 <- A1 == B1
  A2[s1] <- B2[s1]
  sw2 <- B2 == A1
  B2[sw2] <- B1[sw2]; B1[sw2] <- A1[sw2]
  bB[sw2] <- -bB[sw2]; fB[sw2] <- 1 - fB[sw2]; neg_o[sw2] <- TRUE
  swap_result(A1, A2, B1, B2, bA, bB, fA, fB, remove, pal, amb | pal, switched = sw,
              flipped_no_oa = fl, neg_out = neg_o, neg_exp = neg_e, strand = fl)
}

harmonise_11 <- function(A1, A2, B1, B2, bA, bB, fA, fB, action) {
  n <- length(A1)
  b <- freq_bounds()
  tA <- fA; tA[is.na(tA)] <- 0.5
  tB <- fB; tB[is.na(tB)] <- 0.5
  similar <- (tA < b[1] & tB < b[1]) | (tA > b[2] & tB > b[2])
  s1 <- A1 == B1
  amb <- s1 & !similar
  swap_result(A1, rep(NA_character_, n), B1, rep(NA_character_, n), bA, bB, fA, fB,
              !s1, rep(FALSE, n), amb)
}

# Indel recoding: where one side codes the variant as "I"/"D" and the other as sequences,
# "I" becomes the longer sequence and "D" the shorter. Lengths are those before recoding.
recode_indels_22 <- function(A1, A2, B1, B2) {
  nA1 <- nchar(A1); nA2 <- nchar(A2); nB1 <- nchar(B1); nB2 <- nchar(B2)
  b_id <- B1 == "I" & B2 == "D"; b_di <- B1 == "D" & B2 == "I"
  same <- (nA1 > nA2 & b_id) | (nA1 < nA2 & b_di)
  rev <- (nA1 < nA2 & b_id) | (nA1 > nA2 & b_di)
  B1[same] <- A1[same]; B2[same] <- A2[same]
  B1[rev] <- A2[rev]; B2[rev] <- A1[rev]
  a_id <- A1 == "I" & A2 == "D"; a_di <- A1 == "D" & A2 == "I"
  same <- (nB1 > nB2 & a_id) | (nB1 < nB2 & a_di)
  rev <- (nB1 < nB2 & a_id) | (nB1 > nB2 & a_di)
  A1[same] <- B1[same]; A2[same] <- B2[same]
  tmp <- B1[rev]; A1[rev] <- B2[rev]; A2[rev] <- tmp
  keep <- !(nA1 > 1L & nA1 == nA2 & indel_coded(B1)) &
    !(nB1 > 1L & nB1 == nB2 & indel_coded(A1)) & A1 != A2 & B1 != B2
  list(A1 = A1, A2 = A2, B1 = B1, B2 = B2, keep = keep)
}

recode_indels_21 <- function(A1, A2, B1) {
  nA1 <- nchar(A1); nA2 <- nchar(A2)
  B2 <- rep(NA_character_, length(B1))
  same <- (nA1 > nA2 & B1 == "I") | (nA1 < nA2 & B1 == "D")
  rev <- (nA1 < nA2 & B1 == "I") | (nA1 > nA2 & B1 == "D")
  B2[same] <- A2[same]; B1[same] <- A1[same]
  B2[rev] <- A1[rev]; B1[rev] <- A2[rev]
  keep <- !(A1 == "I" & A2 == "D") & !(A1 == "D" & A2 == "I") &
    !(nA1 > 1L & nA1 == nA2 & indel_coded(B1)) & A1 != A2
  list(A1 = A1, A2 = A2, B1 = B1, B2 = B2, keep = keep)
}

recode_indels_12 <- function(A1, B1, B2) {
  nB1 <- nchar(B1); nB2 <- nchar(B2)
  A2 <- rep(NA_character_, length(A1))
  same <- (nB1 > nB2 & A1 == "I") | (nB1 < nB2 & A1 == "D")
  rev <- (nB1 < nB2 & A1 == "I") | (nB1 > nB2 & A1 == "D")
  A2[same] <- B2[same]; A1[same] <- B1[same]
  A2[rev] <- B1[rev]; A1[rev] <- B2[rev]
  keep <- !(B1 == "I" & B2 == "D") & !(B1 == "D" & B2 == "I") &
    !(nB1 > 1L & nB1 == nB2 & indel_coded(A1)) & B1 != B2
  list(A1 = A1, A2 = A2, B1 = B1, B2 = B2, keep = keep)
}

# ---- log and audit --------------------------------------------------------------------

harmonise_log <- function(res, h, comb, comb_levels, mr_keep, in_class, exposure_dat) {
  classes <- c("2-2", "2-1", "1-2", "1-1")
  ncomb <- length(comb_levels)
  cl <- match(h$class, classes)
  ok <- !is.na(cl)
  grp <- (comb[ok] - 1L) * 4L + cl[ok]
  count <- function(x) tabulate(grp[x[ok]], ncomb * 4L)
  n_rows <- tabulate(grp, ncomb * 4L)
  present <- which(n_rows > 0L)
  if (!length(present)) return(NULL)
  ci <- (present - 1L) %/% 4L + 1L
  k <- (present - 1L) %% 4L + 1L
  first <- match(seq_len(ncomb), comb)
  id_exp <- res$id.exposure[first]
  id_out <- res$id.outcome[first]
  act <- res$action[first]
  per_comb <- function(x) tabulate(comb[x & in_class], ncomb)
  n_total <- tabulate(comb[in_class], ncomb)
  cand <- as.integer(table(factor(exposure_dat$id.exposure, levels = unique(id_exp)))[
    as.character(id_exp)])
  sw <- count(h$switched)[present]
  fb <- count(h$flipped_basic)[present]
  fp <- count(h$flipped_palindrome)[present]
  fn <- count(h$flipped_no_oa)[present]
  proxy <- if ("proxy.outcome" %in% names(res)) {
    as.integer(tapply(as.numeric(res$proxy.outcome[in_class]),
                      factor(comb[in_class], levels = seq_len(ncomb)), sum, na.rm = TRUE))
  } else {
    rep(0L, ncomb)
  }
  proxy[is.na(proxy)] <- 0L
  data.frame(
    id.exposure = id_exp[ci], id.outcome = id_out[ci], alleles = classes[k],
    switched_alleles = sw,
    flipped_alleles_basic = ifelse(k == 1L, fb, NA_integer_),
    flipped_alleles_palindrome = ifelse(k == 1L, fp, NA_integer_),
    flipped_alleles_no_oa = ifelse(k %in% 2:3, fn, NA_integer_),
    incompatible_alleles = per_comb(h$remove)[ci],
    ambiguous_alleles = ifelse(act[ci] %in% 2:3, per_comb(h$ambiguous)[ci], NA_integer_),
    candidate_variants = cand[ci],
    variants_absent_from_reference = cand[ci] - n_total[ci],
    total_variants = n_total[ci],
    total_variants_for_mr = per_comb(mr_keep)[ci],
    proxy_variants = proxy[ci],
    stringsAsFactors = FALSE)
}

harmonise_audit_table <- function(res, h, all_order, mr_keep, miss_num,
                                  exposure_dat, outcome_dat, dup, bad_eaf) {
  n <- nrow(res)
  status <- rep("kept", n)
  reason <- rep("alleles match", n)
  pal_ok <- h$palindromic & mr_keep & res$action == 2
  set <- function(i, s, r) { status[i] <<- s; reason[i] <<- r }
  set(h$neg_out | h$neg_exp, "flipped",
      "effect allele of one study is the other's other allele; effect re-aligned")
  set(h$strand & mr_keep, "strand_flipped", "alleles match on the opposite strand")
  set(pal_ok & !h$flipped_palindrome, "palindromic_inferred",
      "palindromic; allele frequencies agree with the reported strand")
  set(pal_ok & h$flipped_palindrome, "palindromic_inferred",
      "palindromic; allele frequencies show the opposite strand; beta.outcome flipped")
  set(h$palindromic & mr_keep & res$action == 1, "kept",
      "palindromic; kept as reported (action 1)")
  drop <- !mr_keep
  status[drop] <- "dropped"
  r <- rep(NA_character_, n)
  r[drop & miss_num] <- "missing beta or se"
  r[drop & h$ambiguous & !h$palindromic] <-
    "allele frequencies do not confirm a single-allele match"
  r[drop & res$action == 3 & h$palindromic] <- "palindromic (action 3 drops all palindromes)"
  r[drop & res$action %in% 2:3 & h$ambiguous & h$palindromic] <-
    "palindromic with intermediate allele frequency"
  r[drop & h$remove] <- "incompatible alleles"
  r[drop & dup] <- "duplicated SNP in the pair (first row used)"
  reason[drop] <- r[drop]
  for (col in names(bad_eaf)) {
    b <- bad_eaf[[col]]
    reason[b] <- paste0(reason[b], "; ", col, " outside [0, 1] set to missing")
  }
  no_ea_out <- is.na(h$class) & is.na(res$effect_allele.outcome)
  no_ea_exp <- is.na(h$class) & !no_ea_out
  status[is.na(h$class)] <- "dropped"
  reason[no_ea_out] <- "missing effect allele in outcome"
  reason[no_ea_exp] <- "missing effect allele in exposure"
  a <- subset_columns(list(id.exposure = as.character(res$id.exposure),
                           id.outcome = as.character(res$id.outcome), SNP = res$SNP,
                           status = status, reason = reason), all_order)
  # Exposure SNPs that no row of an outcome has.
  absent <- list()
  for (io in unique(outcome_dat$id.outcome)) {
    snps_o <- outcome_dat$SNP[outcome_dat$id.outcome %in% io]
    miss <- !exposure_dat$SNP %in% snps_o
    if (any(miss)) {
      absent[[length(absent) + 1L]] <- data.frame(
        id.exposure = as.character(exposure_dat$id.exposure[miss]), id.outcome = io,
        SNP = exposure_dat$SNP[miss], status = "dropped", reason = "absent from outcome",
        stringsAsFactors = FALSE)
    }
  }
  a <- do.call(rbind, c(list(a), absent))
  rownames(a) <- NULL
  a
}
