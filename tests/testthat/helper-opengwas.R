# A substitute OpenGWAS server for the tests: mrkit's thin wrapper around
# ieugwasr::api_query() (opengwas_api) answers from the recorded fixtures in
# fixtures/opengwas/ (see the README there), so no test reaches the network.

# Substitute an internal function of mrkit for the rest of the calling frame
# (testthat::local_mocked_bindings() where available; testthat < 3.1.7 lacks it).
og_local_mock <- function(..., .env = parent.frame()) {
  if ("local_mocked_bindings" %in% getNamespaceExports("testthat")) {
    return(testthat::local_mocked_bindings(..., .package = "mrkit", .env = .env))
  }
  ns <- asNamespace("mrkit")
  new <- list(...)
  for (name in names(new)) {
    old <- get(name, envir = ns)
    unlockBinding(name, ns)
    assign(name, new[[name]], envir = ns)
    lockBinding(name, ns)
    withr::defer({
      unlockBinding(name, ns)
      assign(name, old, envir = ns)
      lockBinding(name, ns)
    }, envir = .env)
  }
  invisible()
}

og_fixture <- function(f) testthat::test_path("fixtures", "opengwas", f)

og_read <- function(f) paste(readLines(og_fixture(f), warn = FALSE), collapse = "\n")

# An httr response as ieugwasr::api_query() returns it.
og_response <- function(status, body, headers = list(), type = "application/json") {
  structure(list(url = "https://api.opengwas.io/api/", status_code = as.integer(status),
                 headers = c(list(`content-type` = type), headers),
                 content = charToRaw(enc2utf8(body))),
            class = "response")
}

# Records of a fixture restricted to the requested ids and variants, as JSON again.
og_filter <- function(f, ids = NULL, variants = NULL) {
  x <- jsonlite::fromJSON(og_fixture(f), simplifyVector = FALSE)
  keep <- vapply(x, function(r) (is.null(ids) || r$id %in% ids) &&
                   (is.null(variants) || r$rsid %in% variants), logical(1))
  as.character(jsonlite::toJSON(x[keep], auto_unbox = TRUE, digits = NA, null = "null"))
}

# A server that answers every endpoint from the fixtures and records the requests in
# `log` (an environment: log$calls is a list of list(path, query, token)).
og_server <- function(log = new.env()) {
  log$calls <- list()
  function(path, query, token) {
    log$calls[[length(log$calls) + 1L]] <- list(path = path, query = query, token = token)
    ids <- unlist(query$id)
    body <- switch(path,
                   gwasinfo = if (is.null(query)) og_read("gwasinfo.json") else og_filter("gwasinfo.json", ids),
                   tophits = og_filter("tophits.json", ids),
                   associations = og_filter(if (identical(query$proxies, 1L)) "associations_proxy.json" else "associations.json",
                                            ids, unlist(query$variant)),
                   `ld/clump` = {
                     kept <- jsonlite::fromJSON(og_fixture("ld_clump.json"))
                     as.character(jsonlite::toJSON(intersect(unlist(query$rsid), kept)))
                   },
                   stop("no fixture for ", path))
    og_response(200, body)
  }
}

# A server that fails every request the same way.
og_failing <- function(response = NULL, error = NULL) {
  function(path, query, token) {
    if (!is.null(error)) stop(error)
    response
  }
}

# A simulated exposure and outcome on a simulated panel, written as GWAS-SSF files and as
# GWAS-VCF files by id (ieu-a-2 exposure, ieu-a-7 outcome) under dir/gwas.
og_simulated_study <- function(dir, b = 0.3, seed = 11) {
  panel <- simulate_ld_panel(800, 1200, block_size = 20, n_chr = 22,
                             prefix = file.path(dir, "panel"), seed = seed)
  sim <- simulate_gwas_files(panel, file.path(dir, "exposure.tsv"), file.path(dir, "outcome.tsv"),
                             b = b, n_causal = 25, fstat = 120, drop_from_outcome = 4, seed = seed + 1)
  exp <- read_sumstats(sim$exposure_file, verbose = FALSE)
  out <- read_sumstats(sim$outcome_file, type = "outcome", verbose = FALSE)
  gwas_dir <- file.path(dir, "gwas")
  write_gwas_vcf(exp, file.path(gwas_dir, "ieu-a-2", "ieu-a-2.vcf.gz"), id = "ieu-a-2")
  write_gwas_vcf(out, file.path(gwas_dir, "ieu-a-7", "ieu-a-7.vcf.gz"), id = "ieu-a-7")
  list(panel = panel, sim = sim, gwas_dir = gwas_dir)
}

# An archive in the layout of 1kg.v3.tgz (<POP>.bed/.bim/.fam) made from a panel.
og_panel_archive <- function(bfile, file, pops = "EUR") {
  src <- tempfile("panels")
  dir.create(src)
  for (pop in pops) for (ext in c("bed", "bim", "fam")) {
    file.copy(paste0(bfile, ".", ext), file.path(src, paste0(pop, ".", ext)))
  }
  old <- setwd(src)
  on.exit(setwd(old))
  utils::tar(file, files = list.files(), compression = "gzip")
  file
}
