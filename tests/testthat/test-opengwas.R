# OpenGWAS by id: the translation layer against recorded server responses (fixtures/
# opengwas, shapes from the API's source), ids resolved to local GWAS-VCF files, every
# failure mode's error, and a TwoSampleMR script run unchanged in three settings.

skip_if_not_installed("ieugwasr")
skip_if_not_installed("jsonlite")

local_server <- function(fun = og_server(), env = parent.frame()) {
  og_local_mock(opengwas_api = fun, .env = env)
  withr::local_envvar(OPENGWAS_JWT = "eyJ.test.token", .local_envir = env)
  withr::local_options(mrkit.gwas_dir = NULL, mrkit.bfile = NULL, .local_envir = env)
}

test_that("OpenGWAS ids are told apart from file names", {
  expect_identical(is_opengwas_id(c("ieu-a-7", "ebi-a-GCST90027158", "finn-b-I9_HEARTFAIL", "ukb-b-19953",
                                    "met-d-LDL_C", "prot-a-1234", "ukb-d-30780_irnt")), rep(TRUE, 7))
  expect_identical(is_opengwas_id(c("ieu-a-7.vcf.gz", "data/ieu-a-7", "bmi.tsv", "IEU-A-7", "ieu-7", "")), rep(FALSE, 6))
})

test_that("extract_instruments() maps the server's top hits to TwoSampleMR's exposure layout", {
  log <- new.env()
  local_server(og_server(log))
  x <- extract_instruments("ieu-a-2")
  th <- jsonlite::fromJSON(og_fixture("tophits.json"))
  expect_identical(nrow(x), 8L)
  expect_setequal(x$SNP, th$rsid)
  k <- match(x$SNP, th$rsid)
  expect_identical(x$beta.exposure, th$beta[k])
  expect_identical(x$se.exposure, th$se[k])
  expect_identical(x$effect_allele.exposure, th$ea[k])
  expect_identical(x$other_allele.exposure, th$nea[k])
  expect_equal(x$samplesize.exposure, rep(339224, 8))
  expect_identical(unique(x$exposure), "Body mass index || id:ieu-a-2")
  expect_identical(unique(x$id.exposure), "ieu-a-2")
  expect_identical(unique(x$data_source.exposure), "igd")
  expect_true(all(c("chr.exposure", "pos.exposure", "pval.exposure", "mr_keep.exposure") %in% names(x)))
  prov <- attr(x, "provenance")
  expect_identical(prov$id, "ieu-a-2")
  expect_identical(prov$source, "OpenGWAS API")
  expect_identical(prov$build, "HG19/GRCh37")
  expect_match(prov$retrieved, "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$")
  # metadata first, then top hits; the token from OPENGWAS_JWT; default settings ask
  # for the server's pre-clumped top hits, others for clumping on request (as ieugwasr)
  paths <- vapply(log$calls, `[[`, "", "path")
  expect_identical(paths, c("gwasinfo", "tophits"))
  q <- log$calls[[2]]$query
  expect_identical(log$calls[[2]]$token, "eyJ.test.token")
  expect_identical(c(q$preclumped, q$clump), c(1L, 1L))
  expect_identical(c(q$pval, q$r2, q$kb), c(5e-8, 0.001, 10000))
  extract_instruments("ieu-a-2", p1 = 5e-6, access_token = "eyJ.other")
  q <- log$calls[[4]]$query
  expect_identical(q$preclumped, 0L)
  expect_identical(q$pval, 5e-6)
  expect_identical(log$calls[[4]]$token, "eyJ.other")
})

test_that("extract_outcome_data() asks without proxies, then with proxies for the missing", {
  log <- new.env()
  local_server(og_server(log))
  th <- jsonlite::fromJSON(og_fixture("tophits.json"))
  expect_warning(y <- extract_outcome_data(th$rsid, "ieu-a-7"), NA)
  as <- jsonlite::fromJSON(og_fixture("associations.json"))
  expect_identical(nrow(y), 8L)
  direct <- y[!y$proxy.outcome, ]
  expect_setequal(direct$SNP, as$rsid)
  k <- match(direct$SNP, as$rsid)
  expect_identical(direct$beta.outcome, as$beta[k])
  expect_identical(direct$effect_allele.outcome, as$ea[k])
  expect_identical(is.na(direct$eaf.outcome), as$eaf[k] == "")
  px <- y[y$proxy.outcome, ]
  expect_identical(px$SNP, "rs7138803")
  expect_identical(px$proxy_snp.outcome, "rs12823128")
  expect_identical(c(px$target_a1.outcome, px$proxy_a1.outcome), c("A", "C"))
  expect_identical(unique(y$outcome), "Coronary heart disease || id:ieu-a-7")
  expect_identical(unique(y$originalname.outcome), "Coronary heart disease")
  expect_identical(unique(y$data_source.outcome), "igd")
  expect_true(all(y$mr_keep.outcome))
  rep <- attr(y, "proxy_report")
  expect_identical(rep$found[match(c("rs7138803", "rs543874"), rep$SNP)], c("proxy", "direct"))
  expect_identical(attr(y, "provenance")$build, "HG19/GRCh37")
  calls <- log$calls[-1]
  expect_identical(vapply(calls, function(x) x$query$proxies, 1L), c(0L, 1L))
  expect_identical(unlist(calls[[2]]$query$variant), "rs7138803")
  expect_identical(calls[[2]]$query$r2, 0.8)
})

test_that("associations are requested in chunks of at most 64 id x variant pairs", {
  log <- new.env()
  local_server(og_server(log))
  snps <- c(jsonlite::fromJSON(og_fixture("tophits.json"))$rsid, paste0("rs", 1:92))
  y <- extract_outcome_data(snps, "ieu-a-7", proxies = FALSE)
  assoc <- Filter(function(x) x$path == "associations", log$calls)
  expect_identical(vapply(assoc, function(x) length(x$query$variant), 1L), c(64L, 36L))
  expect_identical(nrow(y), 7L)
})

test_that("clump_data() without a panel uses the OpenGWAS clumping service, as TwoSampleMR", {
  log <- new.env()
  local_server(og_server(log))
  x <- extract_instruments("ieu-a-2")
  expect_message(k <- clump_data(x), class = "mrkit_message_clump_server")
  kept <- jsonlite::fromJSON(og_fixture("ld_clump.json"))
  expect_setequal(k$SNP, kept)
  expect_identical(attr(k, "provenance"), attr(x, "provenance"))
  rep <- attr(k, "clump_report")
  expect_identical(sort(rep$SNP[rep$status == "removed_by_server"]), sort(setdiff(x$SNP, kept)))
  q <- log$calls[[3]]$query
  expect_identical(log$calls[[3]]$path, "ld/clump")
  expect_identical(unlist(q$pval), x$pval.exposure)
  expect_identical(c(q$pthresh, q$r2, q$kb), c(1, 0.001, 10000))
  expect_identical(q$pop, "EUR")
  # a single variant per exposure is kept without asking
  n <- length(log$calls)
  one <- suppressMessages(clump_data(x[1, ]))
  expect_identical(nrow(one), 1L)
  expect_identical(length(log$calls), n)
})

test_that("available_outcomes() lists the datasets", {
  local_server()
  ao <- available_outcomes()
  expect_identical(ao$id, c("ieu-a-2", "ieu-a-7"))
  expect_identical(names(ao)[1:2], c("id", "trait"))
  expect_identical(attr(ao, "provenance")$source, "OpenGWAS API")
})

test_that("an id the server does not know is a classed error", {
  local_server()
  expect_error(extract_instruments("ieu-a-99999"), class = "mrkit_error_opengwas_id")
  expect_error(extract_outcome_data("rs1", "ieu-a-99999"), class = "mrkit_error_opengwas")
})

# -- failures ---------------------------------------------------------------------------

test_that("401 without a token: class, and the message says how to set OPENGWAS_JWT", {
  local_server(og_failing(og_response(401, og_read("error_401_missing_token.json"))))
  withr::local_envvar(OPENGWAS_JWT = "")
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_unauthorized")
  expect_s3_class(err, "mrkit_error_opengwas")
  expect_match(conditionMessage(err), "OPENGWAS_JWT", fixed = TRUE)
  expect_match(conditionMessage(err), "No token was sent")
  expect_snapshot(extract_outcome_data("rs1", "ieu-a-7"), error = TRUE)
})

test_that("401 with a rejected token, and a token pasted with angle brackets", {
  local_server(og_failing(og_response(401, og_read("error_401_invalid_token.json"))))
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_unauthorized")
  expect_match(conditionMessage(err), "did not accept the token")
  expect_match(conditionMessage(err), "Invalid token", fixed = TRUE)
  # angle brackets: refused before any request is sent
  log <- new.env()
  og_local_mock(opengwas_api = og_server(log))
  withr::local_envvar(OPENGWAS_JWT = "<eyJ.test.token>")
  expect_snapshot(extract_instruments("ieu-a-2"), error = TRUE)
  expect_length(log$calls, 0L)
})

test_that("429: class, the reset time from the response, and the local alternatives", {
  withr::local_timezone("UTC")
  reset <- as.numeric(as.POSIXct("2026-12-07 00:41:00", tz = "UTC"))
  local_server(og_failing(og_response(429, og_read("error_429.json"),
                                      headers = list(`x-allowance-limit` = "100000",
                                                     `x-allowance-remaining` = "0",
                                                     `x-allowance-reset` = as.character(reset)))))
  err <- expect_error(extract_outcome_data("rs1", "ieu-a-7"), class = "mrkit_error_opengwas_allowance")
  expect_equal(as.numeric(err$reset), reset)
  expect_snapshot(extract_outcome_data("rs1", "ieu-a-7"), error = TRUE)
  # Retry-After (seconds from now) wins over X-Allowance-Reset
  local_server(og_failing(og_response(429, og_read("error_429.json"), headers = list(`Retry-After` = "600"))))
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_allowance")
  expect_equal(as.numeric(err$reset), as.numeric(Sys.time()) + 600, tolerance = 30)
})

test_that("429 remembered by ieugwasr (requests refused before sending) is the same error", {
  withr::local_timezone("UTC")
  local_server(og_failing(error = paste0("You have used up your OpenGWAS allowance. Please wait until 2026-12-07 00:41:00 to submit another query.")))
  withr::local_options(ieugwasr_reset = as.numeric(as.POSIXct("2026-12-07 00:41:00", tz = "UTC")))
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_allowance")
  expect_match(conditionMessage(err), "resets at 2026-12-07 00:41:00 UTC", fixed = TRUE)
})

test_that("502: the server is down; the message names the id's file and ld_reference()", {
  local_server(og_failing(og_response(502, og_read("error_502.html"), type = "text/html")))
  err <- expect_error(extract_outcome_data("rs1", "ieu-a-7"), class = "mrkit_error_opengwas_server")
  expect_match(conditionMessage(err), "DIR/ieu-a-7/ieu-a-7.vcf.gz", fixed = TRUE)
  expect_match(conditionMessage(err), "ld_reference(\"EUR\")", fixed = TRUE)
  expect_no_match(conditionMessage(err), "<html>", fixed = TRUE)
  expect_snapshot(extract_outcome_data("rs1", "ieu-a-7"), error = TRUE)
  x <- jsonlite::fromJSON(og_fixture("tophits.json"))
  dat <- data.frame(SNP = x$rsid, pval.exposure = x$p, id.exposure = "e")
  expect_error(suppressMessages(clump_data(dat)), class = "mrkit_error_opengwas_server")
})

test_that("a dropped connection is a network error naming the local alternatives", {
  local_server(og_failing(error = paste0("The following error was encountered in trying to query the OpenGWAS server:\n",
                                         "Error in curl::curl_fetch_memory(url, handle = handle) : Recv failure: Connection reset by peer")))
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_network")
  expect_match(conditionMessage(err), "Connection reset by peer", fixed = TRUE)
  expect_snapshot(extract_instruments("ieu-a-2"), error = TRUE)
  local_server(og_failing(error = "Could not resolve host: api.opengwas.io"))
  expect_error(available_outcomes(), class = "mrkit_error_opengwas_network")
})

test_that("without ieugwasr an id needs its local file, and clump_data() a panel", {
  og_local_mock(has_package = function(pkg) !pkg %in% c("ieugwasr", "jsonlite"))
  withr::local_options(mrkit.gwas_dir = NULL, mrkit.bfile = NULL)
  err <- expect_error(extract_instruments("ieu-a-2"), class = "mrkit_error_opengwas_unavailable")
  expect_match(conditionMessage(err), "mrkit.gwas_dir", fixed = TRUE)
  expect_error(clump_data(data.frame(SNP = c("rs1", "rs2"))), class = "mrkit_error_bfile_missing")
})

# -- local files by id ------------------------------------------------------------------

test_that("an id resolves to gwas_dir/<id>/<id>.vcf.gz before the server", {
  dir <- withr::local_tempdir()
  local_server(og_failing(error = "the server must not be asked"))
  write_gwas_vcf(example_outcome, file.path(dir, "ieu-a-7", "ieu-a-7.vcf.gz"), id = "ieu-a-7")
  write_gwas_vcf(example_exposure, file.path(dir, "ieu-a-2", "ieu-a-2.vcf.gz"), id = "ieu-a-2")
  y <- suppressWarnings(extract_outcome_data(example_exposure$SNP, "ieu-a-7", gwas_dir = dir, bfile = example_panel()))
  k <- match(example_outcome$SNP, y$SNP[!y$proxy.outcome])
  expect_equal(y$beta.outcome[!y$proxy.outcome][k], example_outcome$beta.outcome, tolerance = 1e-7)
  expect_identical(unique(y$data_source.outcome), "igd")
  expect_identical(unique(y$id.outcome), "ieu-a-7")
  # the same rows (and proxies from the panel) as from the table itself
  from_table <- suppressWarnings(extract_outcome_data(example_exposure$SNP, example_outcome, bfile = example_panel()))
  expect_identical(y$SNP, from_table$SNP)
  expect_identical(attr(y, "proxy_report")$found, attr(from_table, "proxy_report")$found)
  prov <- attr(y, "provenance")
  expect_identical(prov$source, "GWAS-VCF file")
  expect_identical(prov$build, "HG19/GRCh37")
  expect_identical(normalizePath(prov$location), normalizePath(file.path(dir, "ieu-a-7", "ieu-a-7.vcf.gz")))
  # the option, and extract_instruments() with local clumping
  withr::local_options(mrkit.gwas_dir = dir, mrkit.bfile = example_panel())
  x <- extract_instruments("ieu-a-2", p1 = 1)
  expect_setequal(x$SNP, clump_data(example_exposure, bfile = example_panel())$SNP)
  expect_identical(unique(x$data_source.exposure), "igd")
  # a mix of a local id and a data frame
  y2 <- extract_outcome_data(example_exposure$SNP[1:3], list(example_outcome), gwas_dir = dir)
  expect_identical(nrow(y2), 3L)
})

test_that("reading by id reads only the rows needed (instruments and the panel's window)", {
  dir <- withr::local_tempdir()
  st <- og_simulated_study(dir)
  withr::local_options(mrkit.gwas_dir = st$gwas_dir, mrkit.bfile = st$panel$bfile)
  snps <- st$sim$truth$leads
  by_id <- extract_outcome_data(snps, "ieu-a-7")
  from_table <- extract_outcome_data(snps, read_sumstats(st$sim$outcome_file, type = "outcome", verbose = FALSE))
  expect_identical(by_id$SNP, from_table$SNP)
  expect_identical(by_id$proxy_snp.outcome, from_table$proxy_snp.outcome)
  expect_equal(by_id$beta.outcome, from_table$beta.outcome, tolerance = 1e-7)
  expect_identical(sum(by_id$proxy.outcome), length(st$sim$truth$dropped))
})

test_that("neither a file nor an id is an error naming both", {
  expect_error(extract_outcome_data("rs1", "no_such_file.txt"), class = "mrkit_error_file_not_found")
  expect_error(extract_instruments("bmi.tsv"), class = "mrkit_error_file_not_found")
})

test_that("mv_extract_exposures() from local GWAS-VCF files by id", {
  dir <- withr::local_tempdir()
  sim <- simulate_mvmr_data(nsnp = 40, b = c(0.3, -0.2), output = "separate", seed = 3)
  ids <- character()
  for (id in unique(sim$exposure$id.exposure)) {
    x <- sim$exposure[sim$exposure$id.exposure == id, ]
    gid <- paste0("ieu-x-", id)
    write_gwas_vcf(x, file.path(dir, gid, paste0(gid, ".vcf.gz")), id = gid)
    ids <- c(ids, gid)
  }
  # no panel: clumped by the (substituted) OpenGWAS service, which here keeps everything
  log <- new.env()
  log$clump <- 0L
  og_local_mock(opengwas_api = function(path, query, token) {
    log$clump <- log$clump + (path == "ld/clump")
    og_response(200, as.character(jsonlite::toJSON(unlist(query$rsid))))
  })
  mv <- suppressMessages(mv_extract_exposures(ids, gwas_dir = dir, pval_threshold = 1e-3,
                                              find_proxies = FALSE, bfile = NULL))
  expect_identical(log$clump, 3L)
  expect_identical(sort(unique(mv$id.exposure)), sort(ids))
  tab <- table(mv$SNP)
  expect_true(all(tab == length(ids)))
  # every SNP passes the threshold for at least one exposure
  best <- tapply(mv$pval.exposure, mv$SNP, min)
  expect_true(all(best < 1e-3))
  # the second exposure is harmonised to the first: same effect alleles
  a <- mv[mv$id.exposure == ids[1], ]; b <- mv[mv$id.exposure == ids[2], ]
  expect_identical(b$effect_allele.exposure[match(a$SNP, b$SNP)], a$effect_allele.exposure)
  expect_identical(attr(mv, "provenance")$source, rep("GWAS-VCF file", 2))
})

# -- a TwoSampleMR script, unchanged ------------------------------------------------------

twosamplemr_script <- function(exposure_id, outcome_id) {
  exposure_dat <- extract_instruments(exposure_id)
  exposure_dat <- clump_data(exposure_dat)
  outcome_dat <- extract_outcome_data(snps = exposure_dat$SNP, outcomes = outcome_id)
  dat <- harmonise_data(exposure_dat, outcome_dat)
  res <- mr(dat)
  het <- mr_heterogeneity(dat)
  plt <- mr_pleiotropy_test(dat)
  loo <- mr_leaveoneout(dat)
  single <- mr_singlesnp(dat)
  dir <- directionality_test(dat)
  list(dat = dat, res = res, het = het, plt = plt, loo = loo, single = single, dir = dir)
}

test_that("the script runs with OpenGWAS ids (substituted server): IVW as by hand", {
  local_server()
  r <- suppressMessages(twosamplemr_script("ieu-a-2", "ieu-a-7"))
  # by hand from the fixtures: the clumping service keeps 6, the outcome effect is on the
  # exposure's effect allele when the alleles agree and negated when they are swapped
  th <- jsonlite::fromJSON(og_fixture("tophits.json"))
  as <- rbind(jsonlite::fromJSON(og_fixture("associations.json"))[, c("rsid", "ea", "beta", "se")],
              jsonlite::fromJSON(og_fixture("associations_proxy.json"))[, c("rsid", "ea", "beta", "se")])
  kept <- jsonlite::fromJSON(og_fixture("ld_clump.json"))
  th <- th[th$rsid %in% kept, ]
  o <- as[match(th$rsid, as$rsid), ]
  by <- ifelse(o$ea == th$ea, o$beta, -o$beta)
  ivw <- sum(th$beta * by / o$se^2) / sum(th$beta^2 / o$se^2)
  res <- r$res
  expect_equal(res$b[res$method == "Inverse variance weighted"], ivw, tolerance = 1e-10)
  expect_identical(res$nsnp[1], 6L)
  expect_identical(nrow(r$single), 6L + 2L)
  expect_identical(nrow(r$loo), 6L + 1L)
  expect_identical(nrow(r$het), 2L)
  expect_identical(nrow(r$plt), 1L)
  expect_identical(nrow(r$dir), 1L)
  expect_identical(unique(r$dat$exposure), "Body mass index || id:ieu-a-2")
})

test_that("the script runs with ids resolved to local VCFs, and with local files + ld_reference()", {
  dir <- withr::local_tempdir()
  st <- og_simulated_study(dir, b = 0.3)
  # (b) ids -> local GWAS-VCF files, panel from an option
  withr::local_options(mrkit.gwas_dir = st$gwas_dir, mrkit.bfile = st$panel$bfile)
  og_local_mock(opengwas_api = og_failing(error = "the server must not be asked"))
  rb <- suppressMessages(twosamplemr_script("ieu-a-2", "ieu-a-7"))
  ivw <- rb$res[rb$res$method == "Inverse variance weighted", ]
  expect_gt(ivw$nsnp, 10)
  expect_lt(abs(ivw$b - 0.3), 4 * ivw$se)
  expect_true(any(rb$dat$proxy.outcome %in% TRUE))
  # (c) the same study from its files, panel from ld_reference() on a file:// source
  tgz <- og_panel_archive(st$panel$bfile, file.path(dir, "1kg.v3.tgz"))
  bfile <- suppressMessages(ld_reference("EUR", dir = file.path(dir, "cache"), source = paste0("file://", tgz),
                                         download = TRUE, progress = FALSE))
  withr::local_options(mrkit.gwas_dir = NULL, mrkit.bfile = bfile)
  rc <- suppressMessages(twosamplemr_script(st$sim$exposure_file, st$sim$outcome_file))
  expect_identical(rc$dat$SNP, rb$dat$SNP)
  fixed <- c("Inverse variance weighted", "MR Egger")
  expect_equal(rc$res$b[rc$res$method %in% fixed], rb$res$b[rb$res$method %in% fixed], tolerance = 1e-6)
  expect_equal(rc$res$se[rc$res$method %in% fixed], rb$res$se[rb$res$method %in% fixed], tolerance = 1e-6)
  expect_equal(rc$het$Q, rb$het$Q, tolerance = 1e-6)
  expect_equal(rc$loo$b, rb$loo$b, tolerance = 1e-6)
})

test_that("the live service answers (only with OPENGWAS_JWT set)", {
  skip_if(!nzchar(Sys.getenv("OPENGWAS_JWT")), "OPENGWAS_JWT is not set")
  withr::local_options(mrkit.gwas_dir = NULL, mrkit.bfile = NULL)
  x <- extract_instruments("ieu-a-2")
  expect_gt(nrow(x), 10)
  expect_identical(attr(x, "provenance")$build, "HG19/GRCh37")
  y <- extract_outcome_data(x$SNP[1:5], "ieu-a-7")
  expect_gt(nrow(y), 0)
})
