# OpenGWAS by id: through the ieugwasr client (Suggests) or from the dataset's GWAS-VCF
# file on disk (options(mrkit.gwas_dir)). The translation layer turns every server
# failure into a classed error that names the local alternative.

# -- ids and where they resolve ------------------------------------------------------------

# An OpenGWAS id: a lower-case batch, one letter, and the dataset name, e.g. "ieu-a-7",
# "ebi-a-GCST90027158", "finn-b-I9_HEARTFAIL", "ukb-b-19953", "met-d-LDL_C", "prot-a-1234".
# Names with a dot, a slash or a space (file names) are not ids.
is_opengwas_id <- function(x) {
  is.character(x) & grepl("^[a-z0-9]{2,10}-[a-z]-[A-Za-z0-9_:-]+$", x)
}

# The directory of downloaded OpenGWAS files, or NULL.
opengwas_gwas_dir <- function(gwas_dir, call = rlang::caller_env()) {
  if (is.null(gwas_dir)) return(NULL)
  if (!is.character(gwas_dir) || length(gwas_dir) != 1L || is.na(gwas_dir)) {
    abort_mrkit("parameter", "{.arg gwas_dir} (or {.code options(mrkit.gwas_dir)}) must be a single directory.",
                call = call)
  }
  path.expand(gwas_dir)
}

# The GWAS-VCF file of an id under gwas_dir (the layout of the OpenGWAS downloads,
# DIR/<id>/<id>.vcf.gz), or NA when there is none.
opengwas_local_file <- function(id, gwas_dir) {
  if (is.null(gwas_dir)) return(rep(NA_character_, length(id)))
  f <- file.path(gwas_dir, id, paste0(id, ".vcf.gz"))
  ifelse(file.exists(f), f, NA_character_)
}

# Sort the elements of a character argument into existing files, ids with a local
# GWAS-VCF file, ids for the server, and neither (an error naming both ways to fix it).
opengwas_sources <- function(x, gwas_dir, what, call = rlang::caller_env()) {
  x <- unique(as.character(x))
  is_file <- file.exists(x) & !dir.exists(x)
  local_vcf <- opengwas_local_file(x, gwas_dir)
  id <- !is_file & is_opengwas_id(x)
  kind <- ifelse(is_file, "file", ifelse(id & !is.na(local_vcf), "local_id", ifelse(id, "server_id", "none")))
  bad <- x[kind == "none"]
  if (length(bad)) {
    abort_mrkit("file_not_found",
                c("{what} {.val {bad}} {?is/are} neither an existing file nor an OpenGWAS id.",
                  i = "Give a path to a summary-statistics file, or an OpenGWAS id such as {.val ieu-a-7}."),
                call = call)
  }
  data.frame(source = x, kind = kind, file = ifelse(is_file, x, local_vcf), stringsAsFactors = FALSE)
}

# -- the thin wrapper around ieugwasr (substituted in tests) -------------------------------

# One request to the OpenGWAS API through ieugwasr::api_query(): a POST with `query`, a
# GET without. Returns ieugwasr's value (an httr response) or raises ieugwasr's error. A
# host that does not resolve fails at once (ieugwasr would retry for about a minute);
# not checked behind a proxy, which resolves names itself.
opengwas_api <- function(path, query, token) {
  host <- sub("^[A-Za-z]+://([^/:]+).*$", "\\1", getOption("ieugwasr_api", "https://api.opengwas.io/api/"))
  proxied <- any(nzchar(Sys.getenv(c("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"))))
  if (!proxied && requireNamespace("curl", quietly = TRUE) && is.null(curl::nslookup(host, error = FALSE))) {
    stop("Could not resolve host: ", host)
  }
  ieugwasr::api_query(path, query = query, opengwas_jwt = token)
}

# -- the translation layer -----------------------------------------------------------------

# Whether a suggested package can be used (a seam for tests).
has_package <- function(pkg) requireNamespace(pkg, quietly = TRUE)

opengwas_require <- function(what, call = rlang::caller_env()) {
  missing <- c("ieugwasr", "jsonlite")[!vapply(c("ieugwasr", "jsonlite"), has_package, logical(1))]
  if (length(missing)) {
    abort_mrkit("opengwas_unavailable",
                c("{what} needs the OpenGWAS server, through the {.pkg ieugwasr} package, which is not installed.",
                  i = "Install it with {.code install.packages(\"ieugwasr\")}, or work from local files:",
                  opengwas_local_hints()),
                call = call)
  }
}

# The local alternatives named by every server error.
opengwas_local_hints <- function(id = NULL) {
  f <- if (length(id)) sprintf("DIR/%s/%s.vcf.gz", id[1], id[1]) else "DIR/<id>/<id>.vcf.gz"
  c(i = sprintf("Offline alternative for data: download the dataset's GWAS-VCF file from https://opengwas.io, save it as %s and set options(mrkit.gwas_dir = \"DIR\").", f),
    i = "Offline alternative for LD (clumping, proxies): bfile = ld_reference(\"EUR\").")
}

# The token: an explicit argument, else ieugwasr's (the OPENGWAS_JWT environment variable).
# mrkit never stores it.
opengwas_token <- function(access_token = NULL, opengwas_jwt = NULL) {
  tok <- opengwas_jwt %||% access_token
  if (is.null(tok) || (is.character(tok) && length(tok) == 1L && is.na(tok))) {
    tok <- if (has_package("ieugwasr")) ieugwasr::get_opengwas_jwt() else Sys.getenv("OPENGWAS_JWT")
  }
  if (!is.character(tok) || length(tok) != 1L) {
    abort_mrkit("parameter", "{.arg access_token} must be a single string (an OpenGWAS token).")
  }
  trimws(tok)
}

# A token pasted with the angle brackets of the documentation's "<token>".
opengwas_token_bracketed <- function(token) grepl("^<|>$", token)

# Send one request and return its parsed JSON content, or raise a classed error:
# mrkit_error_opengwas_unauthorized (401/403), _allowance (429), _server (5xx),
# _network (no connection), _request (other 4xx).
opengwas_request <- function(path, query, token, what, ids = NULL, call = rlang::caller_env()) {
  opengwas_require(what, call = call)
  hints <- opengwas_local_hints(ids)
  if (nzchar(token) && opengwas_token_bracketed(token)) {
    opengwas_abort_unauthorized(token, NULL, hints, call, status = NA)
  }
  r <- tryCatch(
    withCallingHandlers(opengwas_api(path, query, token),
                        warning = function(w) {
                          if (grepl("allowance", conditionMessage(w))) invokeRestart("muffleWarning")
                        }),
    error = function(e) e)
  if (inherits(r, "error")) {
    msg <- conditionMessage(r)
    if (grepl("used up your OpenGWAS allowance", msg)) {
      reset <- getOption("ieugwasr_reset")
      opengwas_abort_allowance(if (is.null(reset)) NULL else as.POSIXct(reset, origin = "1970-01-01"), NULL, hints, call)
    }
    abort_mrkit("opengwas_network",
                c("Could not reach the OpenGWAS server while requesting {what}.",
                  x = "{gsub('[[:space:]]+', ' ', msg)}",
                  i = "Check the network connection (and a proxy, if you use one); the server's status is at https://status.opengwas.io.",
                  hints),
                class = "mrkit_error_opengwas", call = call)
  }
  status <- as.integer(r$status_code)
  body <- opengwas_body(r)
  if (status >= 200L && status < 300L) {
    return(jsonlite::fromJSON(body, simplifyVector = TRUE))
  }
  server_msg <- opengwas_message(body)
  if (status %in% c(401L, 403L)) opengwas_abort_unauthorized(token, server_msg, hints, call, status)
  if (status == 429L) opengwas_abort_allowance(opengwas_reset_time(r), server_msg, hints, call)
  if (status >= 500L) {
    abort_mrkit("opengwas_server",
                c("The OpenGWAS server failed (HTTP {status}) while serving {what}.",
                  x = if (nzchar(server_msg)) "Server: {server_msg}" else NULL,
                  i = "The server is down or overloaded: try again later (status: https://status.opengwas.io).",
                  hints),
                class = "mrkit_error_opengwas", call = call)
  }
  abort_mrkit("opengwas_request",
              c("The OpenGWAS server refused the request for {what} (HTTP {status}).",
                x = if (nzchar(server_msg)) "Server: {server_msg}" else NULL),
              class = "mrkit_error_opengwas", call = call)
}

opengwas_abort_unauthorized <- function(token, server_msg, hints, call, status = 401L) {
  why <- if (!nzchar(token)) {
    c(x = "No token was sent: neither {.arg access_token} nor the environment variable {.envvar OPENGWAS_JWT} is set.",
      i = "Get a token at https://api.opengwas.io/profile/ and add the line OPENGWAS_JWT=<your token> (without the angle brackets) to ~/.Renviron, then restart R.")
  } else if (opengwas_token_bracketed(token)) {
    c(x = "The token starts with {.val {'<'}} or ends with {.val {'>'}}: the angle brackets of the instructions were pasted with it.",
      i = "Remove the angle brackets: OPENGWAS_JWT=eyJ... in ~/.Renviron, then restart R.")
  } else {
    c(x = "The server did not accept the token (expired, reset, or not copied whole).",
      i = "Tokens are valid for 14 days: generate a new one at https://api.opengwas.io/profile/ and update OPENGWAS_JWT.")
  }
  abort_mrkit("opengwas_unauthorized",
              c(if (is.na(status)) "The OpenGWAS token is malformed: no request was sent." else "OpenGWAS refused the request: not authorised (HTTP {status}).", why,
                if (length(server_msg) && nzchar(server_msg)) c(i = "Server: {server_msg}"), hints),
              class = "mrkit_error_opengwas", call = call)
}

opengwas_abort_allowance <- function(reset, server_msg, hints, call) {
  when <- if (!is.null(reset) && !is.na(reset)) {
    c(i = "The allowance resets at {format(reset, '%Y-%m-%d %H:%M:%S %Z')}; requests before then are refused (repeated ones can get the IP address blocked).")
  } else {
    c(i = "Wait for the allowance to reset (see https://api.opengwas.io/profile/).")
  }
  abort_mrkit("opengwas_allowance",
              c("Your OpenGWAS allowance is used up (HTTP 429).", when,
                if (length(server_msg) && nzchar(server_msg)) c(i = "Server: {server_msg}"), hints),
              class = "mrkit_error_opengwas", reset = reset, call = call)
}

opengwas_body <- function(r) {
  if (is.raw(r$content)) rawToChar(r$content) else paste(as.character(r$content), collapse = "")
}

# The server's "message" field, or the body itself when it is short text (e.g. a proxy's
# HTML error page is reduced to nothing).
opengwas_message <- function(body) {
  m <- tryCatch(jsonlite::fromJSON(body)$message, error = function(e) NULL)
  if (is.character(m) && length(m) == 1L) return(m)
  if (nchar(body) < 200 && !grepl("<", body)) return(trimws(body))
  ""
}

# When a used-up allowance resets: the Retry-After header (seconds), else the
# X-Allowance-Reset header (epoch seconds), else NULL.
opengwas_reset_time <- function(r) {
  h <- r$headers
  names(h) <- tolower(names(h))
  ra <- suppressWarnings(as.numeric(h[["retry-after"]]))
  if (length(ra) == 1L && !is.na(ra)) return(Sys.time() + ra)
  xr <- suppressWarnings(as.numeric(h[["x-allowance-reset"]]))
  if (length(xr) == 1L && !is.na(xr)) return(as.POSIXct(xr, origin = "1970-01-01"))
  NULL
}

# -- provenance ----------------------------------------------------------------------------

# One row per dataset: where it came from, its genome build, when it was read.
provenance_row <- function(id, source, location, build, trait = NA_character_) {
  data.frame(id = id, source = source, location = location, build = build, trait = trait,
             retrieved = format(Sys.time(), "%Y-%m-%d %H:%M:%S", tz = "UTC"),
             stringsAsFactors = FALSE)
}

# Metadata of server ids (gwasinfo): trait and build per id. Ids the server does not
# return are not (or not to this token) available: a classed error.
opengwas_info <- function(ids, token, what, call = rlang::caller_env()) {
  info <- opengwas_request("gwasinfo", list(id = as.list(ids)), token, what = what, ids = ids, call = call)
  info <- if (is.data.frame(info)) info else data.frame(id = character(), trait = character(), build = character())
  absent <- setdiff(ids, info$id)
  if (length(absent)) {
    abort_mrkit("opengwas_id",
                c("OpenGWAS has no dataset {.val {absent}} (or it is not available to your token).",
                  i = "Look the id up with {.code available_outcomes()} or at https://opengwas.io/datasets/."),
                class = "mrkit_error_opengwas", call = call)
  }
  info[match(ids, info$id), , drop = FALSE]
}

opengwas_provenance <- function(info) {
  provenance_row(info$id, "OpenGWAS API", paste0(getOption("ieugwasr_api", "https://api.opengwas.io/api/"), info$id),
                 if (is.null(info$build)) NA_character_ else as.character(info$build),
                 as.character(info$trait))
}

# The genome build in a GWAS-VCF header (##contig=<...,assembly=...> or ##reference=).
vcf_build <- function(file) {
  con <- gzfile(file, "r")
  on.exit(close(con))
  build <- NA_character_
  repeat {
    lines <- readLines(con, n = 200L, warn = FALSE)
    if (!length(lines)) break
    hit <- regmatches(lines, regexpr("assembly=[^,>]+", lines))
    if (length(hit)) return(sub("^assembly=", "", hit[1]))
    ref <- grep("^##reference=", lines, value = TRUE)
    if (length(ref) && is.na(build)) build <- sub("^##reference=", "", ref[1])
    if (any(startsWith(lines, "#CHROM")) || !any(startsWith(lines, "##"))) break
  }
  build
}

bind_provenance <- function(...) {
  p <- Filter(Negate(is.null), list(...))
  if (!length(p)) return(NULL)
  out <- do.call(rbind, p)
  rownames(out) <- NULL
  out
}

# -- datasets ------------------------------------------------------------------------------

#' List the OpenGWAS datasets
#'
#' 'TwoSampleMR''s `available_outcomes()`: the metadata of every OpenGWAS dataset that the
#' token may read (one row per dataset: `id`, `trait`, `build`, `sample_size`, `ncase`,
#' `ncontrol`, `population`, `author`, `year`, `pmid`, ...), from the server's `gwasinfo`
#' endpoint through the \pkg{ieugwasr} package (which must be installed).
#'
#' @section Token and failures:
#' The server needs a token: `access_token` (or `opengwas_jwt`), else the environment
#' variable `OPENGWAS_JWT` that \pkg{ieugwasr} reads. mrkit passes it on and never stores
#' it. A refusal is a classed error (all of class `mrkit_error_opengwas`):
#' `mrkit_error_opengwas_unauthorized` (HTTP 401: no token, a token pasted with its
#' angle brackets, an expired token), `mrkit_error_opengwas_allowance` (HTTP 429, with the
#' time the allowance resets when the server says; the condition's field `reset`),
#' `mrkit_error_opengwas_server` (HTTP 5xx, after \pkg{ieugwasr}'s retries for about a
#' minute), `mrkit_error_opengwas_network` (no
#' connection), `mrkit_error_opengwas_unavailable` (\pkg{ieugwasr} not installed). Each
#' message names the offline alternatives: the dataset's GWAS-VCF file under
#' `options(mrkit.gwas_dir)` and an LD panel from [ld_reference()].
#'
#' @param access_token OpenGWAS token (JWT); default the `OPENGWAS_JWT` environment variable.
#' @param opengwas_jwt The same (the argument's newer name in 'TwoSampleMR'); wins over
#'   `access_token`.
#' @return A data frame, one row per dataset, with the attribute `provenance` (source,
#'   date retrieved).
#' @export
#' @examples
#' if (nzchar(Sys.getenv("OPENGWAS_JWT")) && requireNamespace("ieugwasr", quietly = TRUE)) {
#'   ao <- available_outcomes()
#'   head(ao[, c("id", "trait", "build")])
#' }
available_outcomes <- function(access_token = NULL, opengwas_jwt = NULL) {
  token <- opengwas_token(access_token, opengwas_jwt)
  d <- opengwas_request("gwasinfo", NULL, token, what = "the list of datasets")
  d <- as.data.frame(d, stringsAsFactors = FALSE)
  first <- intersect(c("id", "trait"), names(d))
  d <- d[, c(first, setdiff(names(d), first)), drop = FALSE]
  attr(d, "provenance") <- provenance_row("all", "OpenGWAS API", "gwasinfo", NA_character_)
  d
}

# -- instruments ---------------------------------------------------------------------------

#' Instruments of an exposure, from OpenGWAS or from a local file
#'
#' 'TwoSampleMR''s `extract_instruments()`, for an OpenGWAS id, a local copy of its
#' GWAS-VCF file, or any summary-statistics file: the variants with p < `p1`, LD-clumped
#' when `clump = TRUE`, in [format_data()] layout (`SNP`, `beta.exposure`, ...,
#' `exposure = "<trait> || id:<id>"`, `id.exposure`, `data_source.exposure`).
#'
#' Each element of `outcomes` is resolved in this order:
#' 1. an existing file: read with [read_sumstats()] (any format it reads), filtered at `p1`
#'    while reading, and clumped with [clump_data()];
#' 2. an OpenGWAS id whose GWAS-VCF file is on disk, `gwas_dir/<id>/<id>.vcf.gz` (the
#'    layout of the OpenGWAS downloads; `gwas_dir` defaults to `options(mrkit.gwas_dir)`):
#'    read the same way (`data_source.exposure = "igd"`, `exposure = id`);
#' 3. any other OpenGWAS id: the server's top hits through \pkg{ieugwasr} (server-side
#'    clumping on its 1000 Genomes panel of `pop`; the pre-clumped top hits when `p1`,
#'    `r2`, `kb` and `clump` are at their defaults and `force_server = FALSE`, as
#'    'TwoSampleMR'), `data_source.exposure = "igd"`.
#'
#' Local data are clumped by [clump_data()] on `bfile` (default
#' `options(mrkit.bfile)`, for example `ld_reference("EUR")`) or, without one, by the
#' OpenGWAS clumping service. The server's failures are classed errors; see
#' [available_outcomes()], section Token and failures.
#'
#' @param outcomes OpenGWAS ids and/or file paths.
#' @param p1 p-value threshold for instruments.
#' @param clump Whether to LD-clump (`TRUE`/`FALSE` or 1/0).
#' @param p2 Secondary clumping threshold ('TwoSampleMR' accepts and does not use it;
#'   neither does mrkit).
#' @param r2,kb Clumping r^2 threshold and window (kb).
#' @param access_token,opengwas_jwt OpenGWAS token; see [available_outcomes()].
#' @param force_server Re-clump on the server even with default settings.
#' @param pop Super-population of the server's LD panel (`"EUR"`, `"AFR"`, `"AMR"`,
#'   `"EAS"`, `"SAS"`).
#' @param bfile LD reference panel for clumping local data (path prefix); `NULL` uses the
#'   OpenGWAS clumping service.
#' @param gwas_dir Directory of downloaded OpenGWAS files; see Details.
#' @return A data frame in [format_data()] layout (or `NULL` when no variant passes, as
#'   'TwoSampleMR'), with the attribute `provenance`: one row per dataset with `id`,
#'   `source` (`"OpenGWAS API"`, `"GWAS-VCF file"`, `"file"`), `location`, `build`,
#'   `trait`, `retrieved` (UTC).
#' @export
#' @examples
#' # A local GWAS-VCF file found by its OpenGWAS id
#' dir <- tempfile()
#' dir.create(dir)
#' panel <- simulate_ld_panel(200, 400, block_size = 20, prefix = file.path(dir, "panel"), seed = 1)
#' sim <- simulate_gwas_files(panel, file.path(dir, "exp.tsv"), file.path(dir, "out.tsv"),
#'                            n_causal = 6, seed = 2)
#' exp <- read_sumstats(sim$exposure_file, verbose = FALSE)
#' old <- options(mrkit.gwas_dir = dir, mrkit.bfile = panel$bfile)
#' write_gwas_vcf(exp, file.path(dir, "ieu-a-2", "ieu-a-2.vcf.gz"), id = "ieu-a-2")
#' ins <- extract_instruments("ieu-a-2")
#' nrow(ins)
#' attr(ins, "provenance")
#' options(old)
#' unlink(dir, recursive = TRUE)
#'
#' # From the server, with a token
#' if (nzchar(Sys.getenv("OPENGWAS_JWT")) && requireNamespace("ieugwasr", quietly = TRUE)) {
#'   bmi <- extract_instruments("ieu-a-2")
#' }
extract_instruments <- function(outcomes, p1 = 5e-8, clump = TRUE, p2 = 5e-8, r2 = 0.001,
                                kb = 10000, access_token = NULL, force_server = FALSE,
                                opengwas_jwt = NULL, pop = "EUR", bfile = getOption("mrkit.bfile"),
                                gwas_dir = getOption("mrkit.gwas_dir")) {
  if (!is.character(outcomes) || !length(outcomes) || anyNA(outcomes)) {
    abort_mrkit("input_type", "{.arg outcomes} must be OpenGWAS ids or file paths.")
  }
  check_clump_number(p1, "p1", 0, 1)
  check_clump_number(r2, "r2", 0, 1)
  check_clump_number(kb, "kb", 0)
  clump <- as.logical(clump)
  if (length(clump) != 1L || is.na(clump)) abort_mrkit("parameter", "{.arg clump} must be TRUE or FALSE.")
  gwas_dir <- opengwas_gwas_dir(gwas_dir)
  src <- opengwas_sources(outcomes, gwas_dir, "Exposure")
  token <- opengwas_token(access_token, opengwas_jwt)
  parts <- list(); prov <- list()
  local <- src[src$kind != "server_id", , drop = FALSE]
  for (k in seq_len(nrow(local))) {
    is_id <- local$kind[k] == "local_id"
    id <- if (is_id) local$source[k] else NULL
    d <- read_sumstats(local$file[k], format = if (is_id) "gwas_vcf" else "auto", type = "exposure",
                       pval_threshold = p1, id = id, phenotype = id, verbose = FALSE)
    attr(d, "read_report") <- NULL
    if (is_id) d$data_source.exposure <- rep("igd", nrow(d))
    if (clump && nrow(d) > 0L) {
      d <- clump_data(d, clump_kb = kb, clump_r2 = r2, pop = pop, bfile = bfile, access_token = token)
      attr(d, "clump_report") <- NULL
    }
    parts[[length(parts) + 1L]] <- d
    prov[[length(prov) + 1L]] <- provenance_row(if (is_id) id else unique(d$id.exposure)[1] %||% file_stem(local$file[k]),
                                                if (is_id) "GWAS-VCF file" else "file",
                                                normalizePath(local$file[k]),
                                                if (is_id) vcf_build(local$file[k]) else NA_character_)
  }
  server <- src$source[src$kind == "server_id"]
  if (length(server)) {
    info <- opengwas_info(server, token, what = paste0("the metadata of ", paste(server, collapse = ", ")))
    preclumped <- as.integer(clump && r2 == 0.001 && kb == 10000 && p1 == 5e-8 && !isTRUE(force_server))
    hits <- opengwas_request("tophits",
                             list(id = as.list(server), pval = p1, preclumped = preclumped,
                                  clump = as.integer(clump), r2 = r2, kb = kb, pop = pop),
                             token, what = paste0("the top hits of ", paste(server, collapse = ", ")), ids = server)
    if (is.data.frame(hits) && nrow(hits)) parts[[length(parts) + 1L]] <- format_opengwas_exposure(hits)
    prov[[length(prov) + 1L]] <- opengwas_provenance(info)
  }
  parts <- Filter(function(d) !is.null(d) && nrow(d) > 0L, parts)
  if (!length(parts)) return(NULL)
  out <- bind_rows_fill(parts)
  rownames(out) <- NULL
  attr(out, "provenance") <- do.call(bind_provenance, prov)
  out
}

# Top hits (records id, trait, chr, position, rsid, ea, nea, eaf, beta, se, p, n) in
# format_data() layout, as 'TwoSampleMR' maps them.
format_opengwas_exposure <- function(h) {
  h <- opengwas_numeric(as.data.frame(h, stringsAsFactors = FALSE))
  if (!"rsid" %in% names(h) && "name" %in% names(h)) h$rsid <- h$name
  h$phenotype <- paste0(h$trait, " || id:", h$id)
  d <- format_data(h, type = "exposure", phenotype_col = "phenotype", snp_col = "rsid",
                   chr_col = "chr", pos_col = "position", beta_col = "beta", se_col = "se",
                   eaf_col = "eaf", effect_allele_col = "ea", other_allele_col = "nea",
                   pval_col = "p", samplesize_col = "n", min_pval = 1e-200, id_col = "id")
  d$data_source.exposure <- rep("igd", nrow(d))
  d
}

# The server writes a missing value as "" (which makes a JSON column of numbers text).
opengwas_numeric <- function(d) {
  for (col in intersect(c("eaf", "beta", "se", "p", "n", "position"), names(d))) {
    if (!is.numeric(d[[col]])) d[[col]] <- suppressWarnings(as.numeric(as.character(d[[col]])))
  }
  d
}

# -- outcomes from the server --------------------------------------------------------------

# Associations of `snps` in server datasets `ids`, in chunks of at most 64 id x variant
# pairs (the server's limit).
opengwas_associations <- function(snps, ids, proxies, rsq, align_alleles, palindromes,
                                  maf_threshold, pop, token, call = rlang::caller_env()) {
  id_chunks <- split(ids, ceiling(seq_along(ids) / 10))
  out <- list()
  for (ic in id_chunks) {
    per <- max(1L, floor(64 / length(ic)))
    for (vc in split(snps, ceiling(seq_along(snps) / per))) {
      r <- opengwas_request("associations",
                            list(variant = as.list(vc), id = as.list(ic), proxies = as.integer(proxies),
                                 population = pop, r2 = rsq, align_alleles = align_alleles,
                                 palindromes = palindromes, maf_threshold = maf_threshold),
                            token, what = paste0("associations in ", paste(ic, collapse = ", ")), ids = ic, call = call)
      if (is.data.frame(r) && nrow(r)) out[[length(out) + 1L]] <- opengwas_numeric(r)
    }
  }
  bind_rows_fill(out)
}

# 'TwoSampleMR''s extraction from the server: all variants without proxies, then, per
# dataset, the missing ones with proxies. Rows in the layout of TwoSampleMR's output.
opengwas_outcome_data <- function(snps, ids, proxies, rsq, align_alleles, palindromes,
                                  maf_threshold, pop, token, call = rlang::caller_env()) {
  d <- opengwas_associations(snps, ids, FALSE, rsq, align_alleles, palindromes, maf_threshold, pop, token, call)
  if (proxies) {
    more <- list()
    for (id in ids) {
      got <- if (is.null(d)) character() else opengwas_snp(d)[d$id == id]
      missed <- setdiff(snps, got)
      if (length(missed)) {
        more[[length(more) + 1L]] <- opengwas_associations(missed, id, TRUE, rsq, align_alleles, palindromes,
                                                           maf_threshold, pop, token, call)
      }
    }
    d <- bind_rows_fill(c(list(d), more))
  }
  format_opengwas_outcome(d)
}

opengwas_snp <- function(d) as.character(if ("rsid" %in% names(d)) d$rsid else d$name)

# Server association records -> outcome rows (TwoSampleMR's layout and cleaning: rows
# without beta and p dropped, a missing or zero SE inferred from beta and p, impossible
# values set to NA, one target per proxy).
format_opengwas_outcome <- function(d) {
  if (is.null(d) || !nrow(d)) return(NULL)
  col <- function(x, f = as.character) if (x %in% names(d)) f(d[[x]]) else f(rep(NA, nrow(d)))
  o <- data.frame(SNP = opengwas_snp(d), chr = col("chr"), pos = col("position", as.numeric),
                  beta.outcome = col("beta", as.numeric), se.outcome = col("se", as.numeric),
                  samplesize.outcome = col("n", as.numeric), pval.outcome = col("p", as.numeric),
                  eaf.outcome = col("eaf", as.numeric), effect_allele.outcome = col("ea"),
                  other_allele.outcome = col("nea"), outcome = col("trait"), id.outcome = col("id"),
                  stringsAsFactors = FALSE)
  if ("proxy" %in% names(d)) {
    o$proxy.outcome <- as.logical(d$proxy)
    o$proxy.outcome[is.na(o$proxy.outcome)] <- FALSE
    for (p in c("target_snp", "proxy_snp", "target_a1", "target_a2", "proxy_a1", "proxy_a2")) {
      o[[paste0(p, ".outcome")]] <- col(p)
    }
    dup <- duplicated(o[c("id.outcome", "proxy_snp.outcome")]) & !is.na(o$proxy_snp.outcome)
    o <- o[!dup, , drop = FALSE]
  }
  o$originalname.outcome <- o$outcome
  o$outcome.deprecated <- paste0(o$outcome, " ||  || ")
  o$outcome <- paste0(o$outcome, " || id:", o$id.outcome)
  o <- o[!(is.na(o$beta.outcome) & is.na(o$pval.outcome)), , drop = FALSE]
  fix <- (is.na(o$se.outcome) | o$se.outcome == 0) & !is.na(o$beta.outcome) & !is.na(o$pval.outcome)
  o$se.outcome[fix] <- abs(o$beta.outcome[fix]) / abs(stats::qnorm(o$pval.outcome[fix] / 2))
  o$se.outcome[!is.na(o$se.outcome) & o$se.outcome <= 0] <- NA
  o$eaf.outcome[!is.na(o$eaf.outcome) & (o$eaf.outcome <= 0 | o$eaf.outcome >= 1)] <- NA
  o$beta.outcome[!is.na(o$beta.outcome) & o$beta.outcome == -9] <- NA
  o$mr_keep.outcome <- !is.na(o$beta.outcome) & !is.na(o$se.outcome) & !is.na(o$effect_allele.outcome)
  if (any(!o$mr_keep.outcome)) {
    warn_mrkit("mr_keep", "{sum(!o$mr_keep.outcome)} outcome row{?s} lack{?s/} what MR needs (beta, se, effect allele) and will be excluded: {.val {utils::head(o$SNP[!o$mr_keep.outcome], 5)}}.")
  }
  o$data_source.outcome <- rep("igd", nrow(o))
  rownames(o) <- NULL
  o
}

# Proxy report rows for server outcomes: direct, proxy (with the server's proxy) or not found.
opengwas_proxy_report <- function(snps, ids, o) {
  reps <- lapply(ids, function(id) {
    oi <- if (is.null(o)) o else o[o$id.outcome == id, , drop = FALSE]
    k <- if (is.null(oi)) rep(NA_integer_, length(snps)) else match(snps, oi$SNP)
    is_proxy <- !is.na(k) & if ("proxy.outcome" %in% names(oi)) oi$proxy.outcome[k] %in% TRUE else FALSE
    proxy_snp <- ifelse(is_proxy, oi$proxy_snp.outcome[k], NA_character_)
    data.frame(SNP = snps, id.outcome = rep(id, length(snps)),
               found = ifelse(is.na(k), "not found", ifelse(is_proxy, "proxy", "direct")),
               proxy_snp = proxy_snp, r2 = rep(NA_real_, length(snps)),
               reason = ifelse(is.na(k), "not in the OpenGWAS dataset (nor a proxy)",
                               ifelse(is_proxy, paste("OpenGWAS proxy", proxy_snp), "in the OpenGWAS dataset")),
               stringsAsFactors = FALSE)
  })
  do.call(rbind, reps)
}

# -- clumping on the server ----------------------------------------------------------------

# The variants the OpenGWAS clumping service keeps, per exposure (rows of one exposure
# with a single variant are kept unchanged, as 'TwoSampleMR').
opengwas_clump <- function(snp, p, id, clump_kb, clump_r2, clump_p1, pop, token, call = rlang::caller_env()) {
  keep <- logical(length(snp))
  for (g in unique(id)) {
    rows <- which(id == g)
    if (length(rows) == 1L) { keep[rows] <- TRUE; next }
    kept <- opengwas_request("ld/clump",
                             list(rsid = as.list(snp[rows]), pval = as.list(p[rows]), pthresh = clump_p1,
                                  r2 = clump_r2, kb = clump_kb, pop = pop),
                             token, what = "LD clumping", call = call)
    keep[rows] <- snp[rows] %in% unlist(kept)
  }
  keep
}

# -- multivariable -------------------------------------------------------------------------

#' Exposures for multivariable MR, from OpenGWAS ids or local files
#'
#' 'TwoSampleMR''s `mv_extract_exposures()`: the instruments of every exposure
#' ([extract_instruments()] at `pval_threshold`), their union clumped jointly (each SNP at
#' its best p-value), the effects of those SNPs on every exposure
#' ([extract_outcome_data()], with proxies when `find_proxies`), every exposure harmonised
#' to the first, and only the SNPs present for all exposures kept. Ids resolve as in
#' [extract_instruments()] (a local GWAS-VCF under `gwas_dir` first, else the server), and
#' file paths are read locally.
#'
#' @param id_exposure Two or more OpenGWAS ids or file paths.
#' @param clump_r2,clump_kb Clumping thresholds.
#' @param harmonise_strictness `action` of [harmonise_data()].
#' @param access_token,opengwas_jwt OpenGWAS token; see [available_outcomes()].
#' @param find_proxies Look for LD proxies of SNPs missing from an exposure.
#' @param force_server See [extract_instruments()].
#' @param pval_threshold Instrument p-value threshold.
#' @param pop Super-population of the server's LD panel.
#' @param plink_bin Unused (mrkit needs no plink executable).
#' @param bfile LD reference panel for local clumping and proxies (default
#'   `options(mrkit.bfile)`); `NULL` uses the OpenGWAS service for clumping.
#' @param gwas_dir Directory of downloaded OpenGWAS files.
#' @return A data frame with `SNP`, `exposure`, `id.exposure`, `effect_allele.exposure`,
#'   `other_allele.exposure`, `eaf.exposure`, `beta.exposure`, `se.exposure`,
#'   `pval.exposure` (one row per SNP and exposure), ready for [mv_harmonise_data()], with
#'   the attribute `provenance`.
#' @export
#' @examples
#' # two traits of a simulation, as local GWAS-VCF files found by id
#' dir <- tempfile()
#' dir.create(dir)
#' panel <- simulate_ld_panel(400, 600, block_size = 20, n_chr = 10,
#'                            prefix = file.path(dir, "panel"), seed = 1)
#' sim <- simulate_gwas_files(panel, file.path(dir, "a.tsv"), file.path(dir, "b.tsv"),
#'                            b = 0.5, n_causal = 10, seed = 2)
#' files <- c(sim$exposure_file, sim$outcome_file)
#' for (k in 1:2) {
#'   id <- paste0("ieu-x-", k)
#'   write_gwas_vcf(read_sumstats(files[k], verbose = FALSE),
#'                  file.path(dir, id, paste0(id, ".vcf.gz")), id = id)
#' }
#' mv <- mv_extract_exposures(c("ieu-x-1", "ieu-x-2"), gwas_dir = dir, bfile = panel$bfile)
#' table(mv$id.exposure)
#' unlink(dir, recursive = TRUE)
mv_extract_exposures <- function(id_exposure, clump_r2 = 0.001, clump_kb = 10000, harmonise_strictness = 2,
                                 access_token = NULL, find_proxies = TRUE, force_server = FALSE,
                                 pval_threshold = 5e-8, pop = "EUR", plink_bin = NULL,
                                 bfile = getOption("mrkit.bfile"), gwas_dir = getOption("mrkit.gwas_dir"),
                                 opengwas_jwt = NULL) {
  id_exposure <- unique(as.character(id_exposure))
  if (length(id_exposure) < 2L) {
    abort_mrkit("mv_exposures", "Multivariable MR needs at least two exposures in {.arg id_exposure}.")
  }
  token <- opengwas_token(access_token, opengwas_jwt)
  exposure_dat <- extract_instruments(id_exposure, p1 = pval_threshold, r2 = clump_r2, kb = clump_kb,
                                      access_token = token, force_server = force_server, pop = pop,
                                      bfile = bfile, gwas_dir = gwas_dir)
  if (is.null(exposure_dat)) {
    abort_mrkit("no_instruments", "No exposure has a variant with p < {pval_threshold}.")
  }
  prov <- attr(exposure_dat, "provenance")
  joint <- exposure_dat[order(exposure_dat$pval.exposure), , drop = FALSE]
  joint <- joint[!duplicated(joint$SNP), , drop = FALSE]
  joint$id.exposure <- "joint"
  joint <- clump_data(joint, clump_p1 = pval_threshold, clump_r2 = clump_r2, clump_kb = clump_kb,
                      pop = pop, bfile = bfile, access_token = token)
  snps <- unique(exposure_dat$SNP[exposure_dat$SNP %in% joint$SNP])
  d1 <- extract_outcome_data(snps, id_exposure, proxies = find_proxies, access_token = token,
                             bfile = bfile, gwas_dir = gwas_dir)
  ids <- unique(d1$id.outcome)
  # harmonised to the first exposure (its id, or the first dataset read when it is a file)
  first_id <- if (id_exposure[1] %in% ids) id_exposure[1] else ids[1]
  if (length(ids) != length(id_exposure)) {
    abort_mrkit("mv_exposures", "The instruments were found in {length(ids)} of the {length(id_exposure)} exposures.")
  }
  d1 <- d1[d1$mr_keep.outcome %in% TRUE, , drop = FALSE]
  first <- d1[d1$id.outcome == first_id, , drop = FALSE]
  names(first) <- sub("\\.outcome$", ".exposure", names(first))
  names(first)[names(first) == "outcome"] <- "exposure"
  others <- d1[d1$id.outcome != first_id, , drop = FALSE]
  h <- suppressMessages(harmonise_data(first, others, action = harmonise_strictness))
  tab <- table(h$SNP[h$mr_keep %in% TRUE])
  keep <- names(tab)[tab == length(ids) - 1L]
  h <- h[h$SNP %in% keep & h$mr_keep %in% TRUE, , drop = FALSE]
  cols <- c("SNP", "exposure", "id.exposure", "effect_allele.exposure", "other_allele.exposure",
            "eaf.exposure", "beta.exposure", "se.exposure", "pval.exposure")
  h1 <- h[h$id.outcome == h$id.outcome[1], cols, drop = FALSE]
  h2 <- h[, sub("exposure", "outcome", cols), drop = FALSE]
  names(h2) <- cols
  out <- rbind(h1, h2)
  rownames(out) <- NULL
  attr(out, "provenance") <- prov
  out
}
