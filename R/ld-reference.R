# The 1000 Genomes phase 3 LD reference panels, located, downloaded once, verified, cached.

ld_reference_url <- "http://fileserve.mrcieu.ac.uk/ld/1kg.v3.tgz"
ld_reference_pops <- c("AFR", "AMR", "EAS", "EUR", "SAS")

#' LD reference panel of a 1000 Genomes super-population
#'
#' Returns the path prefix (`bfile`) of the 1000 Genomes phase 3 PLINK panel of a
#' super-population, the panels that the OpenGWAS server clumps with and that
#' \pkg{ieugwasr}'s local-LD documentation points to (archive `1kg.v3.tgz`: one
#' `<POP>.bed/.bim/.fam` per super-population, biallelic SNPs with MAF > 0.01, no indels).
#' The archive is downloaded once (with a progress bar), unpacked into
#' `dir/<archive name>/` and removed; later calls find the panel there.
#'
#' Every panel is verified when it arrives: the `.bed` starts with PLINK's magic bytes in
#' SNP-major mode, and its size is `3 + n_variants * ceiling(n_samples / 4)` bytes with
#' `n_variants` the rows of the `.bim` and `n_samples` the rows of the `.fam`; with `md5`
#' the archive's checksum is checked too. The sizes are recorded in
#' `dir/<archive name>/<POP>.manifest`, and later calls check the files against it (and
#' the magic bytes), so a truncated or replaced file is noticed at once. Files placed
#' there by hand (for example extracted from an archive downloaded with a browser) are
#' verified and recorded on first use.
#'
#' Without the panel and without `download = TRUE` (the default in non-interactive
#' sessions), or when the download fails (offline), the error (class
#' `mrkit_error_ld_reference_missing` or `mrkit_error_ld_reference_download`) says what to
#' download and where to put it.
#'
#' @param pop Super-population: `"EUR"`, `"AFR"`, `"AMR"`, `"EAS"` or `"SAS"`.
#' @param dir Cache directory; default `options(mrkit.ld_dir)`, else
#'   `tools::R_user_dir("mrkit", "cache")`.
#' @param source URL of the archive (default `options(mrkit.ld_source)`, else the
#'   OpenGWAS file server); any URL `utils::download.file()` reads, including `file://`.
#' @param download Whether to download the archive when the panel is not cached. In an
#'   interactive session, left at its default, the download is confirmed first.
#' @param md5 Optional MD5 checksum of the archive.
#' @param progress Show a progress bar while downloading.
#' @return The panel's path prefix (without `.bed`), to pass as `bfile`.
#' @export
#' @examples
#' # A tiny archive in the layout of 1kg.v3.tgz, made from the example panel
#' src <- tempfile(); dir.create(src)
#' for (ext in c("bed", "bim", "fam")) {
#'   file.copy(paste0(example_panel(), ".", ext), file.path(src, paste0("EUR.", ext)))
#' }
#' tgz <- file.path(tempdir(), "panels.tgz")
#' utils::tar(tgz, files = src, compression = "gzip", tar = "internal")
#' cache <- tempfile()
#' bfile <- ld_reference("EUR", dir = cache, source = paste0("file://", tgz), download = TRUE,
#'                       progress = FALSE)
#' bfile
#' nrow(clump_data(example_exposure, bfile = bfile))
#'
#' # The real panels (a large archive, downloaded once)
#' if (interactive()) {
#'   bfile <- ld_reference("EUR")
#' }
ld_reference <- function(pop = "EUR", dir = getOption("mrkit.ld_dir", tools::R_user_dir("mrkit", "cache")),
                         source = getOption("mrkit.ld_source", ld_reference_url), download = interactive(),
                         md5 = NULL, progress = interactive()) {
  if (!is.character(pop) || length(pop) != 1L || !toupper(pop) %in% ld_reference_pops) {
    abort_mrkit("parameter", "{.arg pop} must be one of {.val {ld_reference_pops}}.")
  }
  pop <- toupper(pop)
  for (a in c("dir", "source")) {
    v <- get(a)
    if (!is.character(v) || length(v) != 1L || is.na(v) || !nzchar(v)) {
      abort_mrkit("parameter", "{.arg {a}} must be a single string.")
    }
  }
  if (!is.logical(download) || length(download) != 1L || is.na(download)) {
    abort_mrkit("parameter", "{.arg download} must be TRUE or FALSE.")
  }
  home <- file.path(path.expand(dir), sub("\\.(tar\\.gz|tgz|tar)$", "", basename(source)))
  prefix <- file.path(home, pop)
  if (all(file.exists(paste0(prefix, c(".bed", ".bim", ".fam"))))) {
    ld_reference_check(prefix, source)
    return(prefix)
  }
  if (download && missing(download)) {
    # interactive session, not asked for explicitly: confirm before a large download
    download <- isTRUE(utils::askYesNo(sprintf("Download the 1000 Genomes LD reference panels (a large archive) from %s into %s?",
                                               source, home)))
  }
  if (!download) {
    abort_mrkit("ld_reference_missing",
                c("The 1000 Genomes {pop} LD reference panel is not in {.file {home}}.",
                  i = "Download it once with {.code ld_reference(\"{pop}\", download = TRUE)} (one large archive with all five super-populations).",
                  i = "Or download {.url {source}} yourself and extract {.file {pop}.bed}, {.file {pop}.bim} and {.file {pop}.fam} into {.file {home}}."))
  }
  ld_reference_fetch(source, home, md5, progress)
  if (!all(file.exists(paste0(prefix, c(".bed", ".bim", ".fam"))))) {
    abort_mrkit("ld_reference_corrupt",
                c("The archive {.url {source}} has no {.file {pop}.bed/.bim/.fam}.",
                  i = "Its panels: {.val {sub('[.]bed$', '', list.files(home, '[.]bed$'))}}."))
  }
  ld_reference_check(prefix, source)
  prefix
}

# Download the archive, check it, unpack every panel into `home`, remove the archive.
ld_reference_fetch <- function(source, home, md5, progress, call = rlang::caller_env()) {
  dir.create(home, recursive = TRUE, showWarnings = FALSE)
  archive <- file.path(home, paste0(basename(source), ".part"))
  on.exit(unlink(archive), add = TRUE)
  cli::cli_inform(c(i = "Downloading the 1000 Genomes LD reference panels from {.url {source}} into {.file {home}} (once)."),
                  class = "mrkit_message_ld_download")
  old <- options(timeout = max(getOption("timeout"), 4 * 3600))
  on.exit(options(old), add = TRUE)
  res <- tryCatch(utils::download.file(source, archive, mode = "wb", quiet = !progress),
                  error = function(e) e, warning = function(w) w)
  if (inherits(res, "condition") || !identical(res, 0L) || !file.exists(archive) || file.size(archive) == 0) {
    why <- if (inherits(res, "condition")) conditionMessage(res) else "the download did not complete"
    abort_mrkit("ld_reference_download",
                c("Could not download the LD reference panels from {.url {source}}.",
                  x = "{why}",
                  i = "Offline? Download {.url {source}} elsewhere and extract its {.file <POP>.bed/.bim/.fam} files into {.file {home}}; {.fn ld_reference} then verifies and uses them."),
                call = call)
  }
  if (!is.null(md5)) {
    got <- unname(tools::md5sum(archive))
    if (!identical(tolower(got), tolower(md5))) {
      abort_mrkit("ld_reference_corrupt",
                  c("The downloaded archive {.url {source}} is damaged: its MD5 checksum is {got}, not {md5}.",
                    i = "Run {.fn ld_reference} again to download it again."), call = call)
    }
  }
  tmp <- tempfile("ldref", tmpdir = home)
  on.exit(unlink(tmp, recursive = TRUE), add = TRUE)
  ok <- tryCatch(utils::untar(archive, exdir = tmp), error = function(e) 1L, warning = function(w) 1L)
  if (!identical(as.integer(ok), 0L)) {
    abort_mrkit("ld_reference_corrupt",
                c("The downloaded archive {.url {source}} could not be unpacked (truncated or not a tar archive).",
                  i = "Run {.fn ld_reference} again to download it again."), call = call)
  }
  files <- list.files(tmp, pattern = "\\.(bed|bim|fam)$", recursive = TRUE, full.names = TRUE)
  file.rename(files, file.path(home, basename(files)))
  for (bed in list.files(home, pattern = "\\.bed$", full.names = TRUE)) {
    ld_reference_verify(sub("\\.bed$", "", bed), source, call = call)
  }
  invisible(home)
}

# A cached panel: against its manifest when there is one, else fully verified (and
# recorded).
ld_reference_check <- function(prefix, source, call = rlang::caller_env()) {
  man <- paste0(prefix, ".manifest")
  if (!file.exists(man)) return(ld_reference_verify(prefix, source, call = call))
  m <- read.dcf(man)
  sizes <- file.size(paste0(prefix, c(".bed", ".bim", ".fam")))
  want <- as.numeric(m[1, c("bed_size", "bim_size", "fam_size")])
  bed_magic(paste0(prefix, ".bed"), call = call)
  if (!isTRUE(all(sizes == want))) {
    abort_mrkit("ld_reference_corrupt",
                c("The cached LD reference panel {.file {prefix}} has changed since it was verified.",
                  x = "File sizes (.bed, .bim, .fam) are {sizes}, expected {want}.",
                  i = "Delete {.file {dirname(prefix)}} and call {.fn ld_reference} again."), call = call)
  }
  invisible(prefix)
}

# Full verification: magic bytes, .bed size against the .bim and .fam row counts.
ld_reference_verify <- function(prefix, source, call = rlang::caller_env()) {
  files <- paste0(prefix, c(".bed", ".bim", ".fam"))
  absent <- files[!file.exists(files)]
  if (length(absent)) {
    abort_mrkit("ld_reference_corrupt", c("The LD reference panel {.file {prefix}} is incomplete.",
                                          x = "Missing: {.file {absent}}."), call = call)
  }
  bed_magic(files[1], call = call)
  n_snp <- count_lines(files[2])
  n_ind <- count_lines(files[3])
  want <- 3 + n_snp * ceiling(n_ind / 4)
  got <- file.size(files[1])
  if (got != want) {
    abort_mrkit("ld_reference_corrupt",
                c("The LD reference panel {.file {prefix}} is damaged.",
                  x = "{.file {basename(files[1])}} has {got} bytes; {n_snp} variants (.bim) x {n_ind} samples (.fam) need {format(want, scientific = FALSE)}.",
                  i = "Delete {.file {dirname(prefix)}} and call {.fn ld_reference} again."), call = call)
  }
  sizes <- file.size(files)
  write.dcf(data.frame(source = source, verified = format(Sys.time(), "%Y-%m-%d %H:%M:%S", tz = "UTC"),
                       n_variants = n_snp, n_samples = n_ind, bed_size = format(sizes[1], scientific = FALSE),
                       bim_size = format(sizes[2], scientific = FALSE), fam_size = format(sizes[3], scientific = FALSE)),
            paste0(prefix, ".manifest"))
  invisible(prefix)
}

bed_magic <- function(bed, call = rlang::caller_env()) {
  con <- file(bed, "rb")
  magic <- readBin(con, "raw", n = 3L)
  close(con)
  if (length(magic) < 3L || !identical(magic, as.raw(c(0x6c, 0x1b, 0x01)))) {
    abort_mrkit("ld_reference_corrupt",
                c("{.file {bed}} is not a SNP-major PLINK 1 .bed file (its first bytes are not 6c 1b 01).",
                  i = "Delete {.file {dirname(bed)}} and call {.fn ld_reference} again."), call = call)
  }
}

# Lines of a text file (counted in binary chunks; a last line without newline counts).
count_lines <- function(file) {
  con <- file(file, "rb")
  on.exit(close(con))
  n <- 0
  last <- as.raw(10)
  repeat {
    x <- readBin(con, "raw", n = 16777216L)
    if (!length(x)) break
    n <- n + sum(x == as.raw(10))
    last <- x[length(x)]
  }
  n + (last != as.raw(10))
}
