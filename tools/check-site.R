# Check the built pkgdown site (docs/) the way a reader sees it: each page is opened in
# headless Chromium, and the DOM the browser built is checked. Usage:
#   Rscript tools/check-site.R [site dir, default docs] [screenshot, default man/figures/site-home.png]
# Checks: the home page, the reference index (every section of _pkgdown.yml, a link to every
# exported topic) and every article built from vignettes/*.Rmd and vignettes/articles/*.Rmd
# (its title as the heading, sections, text) render, and no page shows R error output.
# Topic pages are scanned for errors in their examples. Writes a screenshot of the home
# page. Exits non-zero on failure.
args <- commandArgs(trailingOnly = TRUE)
site <- if (length(args) >= 1) args[[1]] else "docs"
shot <- if (length(args) >= 2) args[[2]] else file.path("man", "figures", "site-home.png")

chromium <- Sys.which(c("chromium", "chromium-browser", "google-chrome"))
chromium <- unname(chromium[nzchar(chromium)])
if (!length(chromium)) stop("Chromium is not installed (apt-get install chromium)")
chromium <- chromium[[1]]
if (!file.exists(file.path(site, "index.html"))) stop("No site in ", site, "/: run `make site`")
browser_args <- c("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  "--virtual-time-budget=5000")

failures <- character()
fail <- function(page, what) failures <<- c(failures, sprintf("%s: %s", page, what))

dump_dom <- function(file) {
  url <- paste0("file://", normalizePath(file))
  out <- suppressWarnings(system2(chromium, c(browser_args, "--dump-dom", url),
                                  stdout = TRUE, stderr = FALSE, timeout = 120))
  xml2::read_html(paste(c(out, ""), collapse = "\n"))
}
texts <- function(doc, xpath) trimws(xml2::xml_text(xml2::xml_find_all(doc, xpath)))
squish <- function(x) gsub("\\s+", " ", trimws(x))

# R errors as knitr ("## Error") and pkgdown ("#> Error", class "error") print them
error_lines <- function(doc) {
  code <- texts(doc, "//pre | //*[contains(concat(' ', @class, ' '), ' error ')]")
  lines <- unlist(strsplit(code, "\n", fixed = TRUE))
  lines[grepl("^\\s*(##|#>)?\\s*Error( in |:)|could not find function|there is no package called", lines)]
}

# h1: the expected main heading, matched whole (a string) or as a regular expression (h1_re)
check_page <- function(file, label, h1 = NULL, min_chars = 500L, min_h2 = 0L, h1_re = NULL) {
  if (!file.exists(file)) {
    fail(label, paste("not built:", file))
    return(NULL)
  }
  doc <- dump_dom(file)
  main <- xml2::xml_find_first(doc, "//main")
  body <- if (inherits(main, "xml_missing")) xml2::xml_find_first(doc, "//body") else main
  chars <- nchar(squish(xml2::xml_text(body)))
  if (chars < min_chars) fail(label, sprintf("only %d characters of text", chars))
  heads <- squish(texts(doc, "//h1"))
  if ((!is.null(h1) && !any(heads == h1)) || (!is.null(h1_re) && !any(grepl(h1_re, heads)))) {
    fail(label, sprintf("heading '%s' not found (h1: %s)", c(h1, h1_re)[[1]], paste(heads, collapse = " | ")))
  }
  n_h2 <- length(texts(doc, "//main//h2"))
  if (n_h2 < min_h2) fail(label, sprintf("%d sections (h2), expected at least %d", n_h2, min_h2))
  errs <- error_lines(doc)
  if (length(errs)) fail(label, paste("R error output:", paste(utils::head(errs, 3), collapse = " / ")))
  message(sprintf("  %-40s %6d chars, %2d sections%s", label, chars, n_h2,
                  if (length(errs)) "  ERRORS" else ""))
  invisible(doc)
}

message("Checking the site in ", site, "/ with ", chromium)

# Home page: the README's title
check_page(file.path(site, "index.html"), "home", h1 = "mrkit", min_chars = 1000L, min_h2 = 2L)

# Reference index: every section title, and a link to every topic that is not internal
meta <- yaml::read_yaml("_pkgdown.yml")
doc <- check_page(file.path(site, "reference", "index.html"), "reference index",
                  h1_re = "^(Function )?[Rr]eference$", min_chars = 2000L)
if (!is.null(doc)) {
  titles <- vapply(meta$reference, function(s) s$title, character(1))
  found <- squish(texts(doc, "//main//h2"))
  missing <- setdiff(titles, found)
  if (length(missing)) fail("reference index", paste("sections missing:", paste(missing, collapse = ", ")))
  links <- basename(xml2::xml_attr(xml2::xml_find_all(doc, "//main//a[@href]"), "href"))
  rd <- list.files("man", pattern = "\\.Rd$", full.names = TRUE)
  internal <- vapply(rd, function(f) any(grepl("\\\\keyword\\{internal\\}", readLines(f, warn = FALSE))),
                     logical(1))
  topics <- sub("\\.Rd$", ".html", basename(rd[!internal]))
  unlinked <- setdiff(topics, links)
  if (length(unlinked)) fail("reference index", paste("topics not linked:", paste(unlinked, collapse = ", ")))
}

# Topic pages: no error in the examples' output (static HTML; pkgdown writes it complete)
for (f in list.files(file.path(site, "reference"), pattern = "\\.html$", full.names = TRUE)) {
  if (basename(f) == "index.html") next
  errs <- error_lines(xml2::read_html(f))
  if (length(errs)) fail(paste("reference", basename(f)), paste("R error output:", errs[[1]]))
}

# Articles: one per vignette (vignettes/) and study article (vignettes/articles/), headed by
# its title
vignettes <- c(list.files("vignettes", pattern = "\\.[Rr]md$", full.names = TRUE),
               list.files(file.path("vignettes", "articles"), pattern = "\\.[Rr]md$", full.names = TRUE))
if (!length(vignettes)) fail("articles", "no vignettes found")
check_page(file.path(site, "articles", "index.html"), "articles index", h1 = "Articles", min_chars = 50L)
for (v in vignettes) {
  front <- rmarkdown::yaml_front_matter(v)
  name <- sub("\\.[Rr]md$", "", basename(v))
  check_page(file.path(site, "articles", paste0(name, ".html")), paste("article", name),
             h1 = squish(front$title), min_chars = 1500L, min_h2 = 2L)
}

# Screenshot of the home page
dir.create(dirname(shot), showWarnings = FALSE, recursive = TRUE)
unlink(shot)
url <- paste0("file://", normalizePath(file.path(site, "index.html")))
suppressWarnings(system2(chromium, c(browser_args, paste0("--screenshot=", normalizePath(shot, mustWork = FALSE)),
                                     "--window-size=1280,900", url),
                         stdout = FALSE, stderr = FALSE, timeout = 120))
if (!file.exists(shot) || file.size(shot) < 20000) fail("home", paste("screenshot not written or blank:", shot))
# Palette-compressed where pngquant is installed: the figure is installed with the help pages.
if (file.exists(shot) && nzchar(Sys.which("pngquant"))) {
  system2("pngquant", c("--skip-if-larger", "--speed=1", "--quality=80-100", "--force", "--ext", ".png", shot))
}

if (length(failures)) {
  message("Site check FAILED:\n", paste0("  - ", failures, collapse = "\n"))
  quit(status = 1)
}
message(sprintf("Site check passed: home, reference index, %d articles; screenshot %s", length(vignettes), shot))
