# ld_reference(): download once from a (file://) source, verify, cache, find again; the
# errors say what to download and where to put it.

make_source <- function(pops = c("EUR", "AFR")) {
  og_panel_archive(example_panel(), tempfile(fileext = ".tgz"), pops = pops)
}

test_that("a panel is downloaded once, verified, cached and found again", {
  cache <- withr::local_tempdir()
  src <- paste0("file://", make_source())
  expect_message(bfile <- ld_reference("EUR", dir = cache, source = src, download = TRUE, progress = FALSE),
                 class = "mrkit_message_ld_download")
  home <- file.path(cache, sub("\\.tgz$", "", basename(src)))
  expect_identical(basename(bfile), "EUR")
  expect_identical(normalizePath(dirname(bfile)), normalizePath(home))
  # the same bytes as the panel it was made from
  for (ext in c("bed", "bim", "fam")) {
    expect_identical(unname(tools::md5sum(paste0(bfile, ".", ext))),
                     unname(tools::md5sum(paste0(example_panel(), ".", ext))))
  }
  # every panel of the archive is unpacked and recorded; the archive is gone
  expect_setequal(list.files(home, "\\.manifest$"), c("EUR.manifest", "AFR.manifest"))
  expect_length(list.files(home, "\\.part$"), 0L)
  man <- read.dcf(paste0(bfile, ".manifest"))
  expect_identical(as.numeric(man[, "n_variants"]), 2000)
  expect_identical(as.numeric(man[, "n_samples"]), 500)
  # found again without downloading (the source no longer exists), other population too
  expect_no_message(b2 <- ld_reference("EUR", dir = cache, source = src, download = FALSE))
  expect_identical(b2, bfile)
  expect_identical(basename(ld_reference("afr", dir = cache, source = src, download = FALSE)), "AFR")
  # and it clumps
  expect_identical(nrow(clump_data(example_exposure, bfile = bfile)),
                   nrow(clump_data(example_exposure, bfile = example_panel())))
})

test_that("not cached and no download: the error says what to download and where", {
  cache <- withr::local_tempdir()
  err <- expect_error(ld_reference("SAS", dir = cache, download = FALSE), class = "mrkit_error_ld_reference_missing")
  expect_match(conditionMessage(err), "http://fileserve.mrcieu.ac.uk/ld/1kg.v3.tgz", fixed = TRUE)
  expect_match(conditionMessage(err), "ld_reference(\"SAS\", download = TRUE)", fixed = TRUE)
  expect_match(conditionMessage(err), file.path(cache, "1kg.v3"), fixed = TRUE)
})

test_that("offline (the download fails): a classed error with the same instructions", {
  cache <- withr::local_tempdir()
  src <- paste0("file://", file.path(cache, "no-such-archive.tgz"))
  err <- expect_error(suppressMessages(ld_reference("EUR", dir = cache, source = src, download = TRUE, progress = FALSE)),
                      class = "mrkit_error_ld_reference_download")
  expect_match(conditionMessage(err), "no-such-archive", fixed = TRUE)
  expect_match(conditionMessage(err), "extract its", fixed = TRUE)
})

test_that("damage is detected: checksum, truncated .bed, wrong magic, changed files", {
  cache <- withr::local_tempdir()
  src <- make_source("EUR")
  expect_error(suppressMessages(ld_reference("EUR", dir = cache, source = paste0("file://", src), download = TRUE,
                                             md5 = "0123456789abcdef0123456789abcdef", progress = FALSE)),
               class = "mrkit_error_ld_reference_corrupt")
  bfile <- suppressMessages(ld_reference("EUR", dir = cache, source = paste0("file://", src), download = TRUE,
                                         md5 = unname(tools::md5sum(src)), progress = FALSE))
  # a changed file no longer matches its manifest
  bim <- readLines(paste0(bfile, ".bim"))
  writeLines(bim[-1], paste0(bfile, ".bim"))
  expect_error(ld_reference("EUR", dir = cache, source = src), class = "mrkit_error_ld_reference_corrupt")
  # without a manifest (files placed by hand) the .bed size is checked against .bim x .fam
  unlink(paste0(bfile, ".manifest"))
  err <- expect_error(ld_reference("EUR", dir = cache, source = src), class = "mrkit_error_ld_reference_corrupt")
  expect_match(conditionMessage(err), "1999 variants")
  writeLines(bim, paste0(bfile, ".bim"))
  expect_identical(ld_reference("EUR", dir = cache, source = src), bfile)
  # wrong magic bytes
  bed <- readBin(paste0(bfile, ".bed"), "raw", file.size(paste0(bfile, ".bed")))
  bed[3] <- as.raw(0)
  writeBin(bed, paste0(bfile, ".bed"))
  expect_error(ld_reference("EUR", dir = cache, source = src), class = "mrkit_error_ld_reference_corrupt")
})

test_that("bad arguments", {
  expect_error(ld_reference("XYZ"), class = "mrkit_error_parameter")
  expect_error(ld_reference("EUR", download = NA), class = "mrkit_error_parameter")
})

test_that("count_lines() counts a last line without a newline", {
  f <- withr::local_tempfile()
  writeBin(charToRaw("a\nb\nc"), f)
  expect_identical(count_lines(f), 3)
  writeLines(c("a", "b"), f)
  expect_identical(count_lines(f), 2)
})
