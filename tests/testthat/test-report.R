# mr_report(): one small HTML render, read back as text and in headless Chromium; the
# Markdown fallback and the classed error on a machine without pandoc.

report_data <- function() {
  suppressMessages(harmonise_data(example_exposure[1:20, ], example_outcome))
}

# One render shared by the tests of this file.
rendered <- local({
  cache <- NULL
  function() {
    if (is.null(cache)) {
      dir <- file.path(tempdir(), "mrkit-test-report")
      unlink(dir, recursive = TRUE)
      files <- suppressMessages(mr_report(report_data(), output_path = dir, seed = 11,
                                          author = "Test author"))
      cache <<- list(files = files, html = paste(readLines(files[[1]], warn = FALSE), collapse = "\n"))
    }
    cache
  }
})

section_titles <- c("Summary", "Instruments", "Harmonisation audit", "Estimates", "Heterogeneity",
                    "Pleiotropy", "Directionality (Steiger)", "Outliers",
                    "Leave-one-out and single-variant analyses", "Multiple testing",
                    "STROBE-MR checklist", "Reproducibility")

skip_if_no_pandoc <- function() {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if(!rmarkdown::pandoc_available("1.12.3"), "pandoc is not available")
}

test_that("mr_report() writes one self-contained HTML file per pair, with nothing remote", {
  skip_if_no_pandoc()
  r <- rendered()
  expect_length(r$files, 1L)
  expect_identical(basename(r$files[[1]]), "mr_report_sim-bmi_sim-chd.html")
  html <- r$html
  expect_false(grepl("(src|href)=[\"'](https?:)?//", html, perl = TRUE))
  imgs <- regmatches(html, gregexpr("<img[^>]+src=\"[^\"]{0,30}", html, perl = TRUE))[[1]]
  expect_gte(length(imgs), 6L)
  expect_true(all(grepl("src=\"data:image/png;base64", imgs)))
  for (s in section_titles) expect_match(html, paste0("<h2>", s, "</h2>"), fixed = TRUE, label = s)
})

test_that("the report shows the numbers of the analysis it ran", {
  skip_if_no_pandoc()
  html <- rendered()$html
  dat <- report_data()
  ivw <- mr(dat, method_list = "mr_ivw")
  # the binary outcome's odds ratio with the interval mr() computed
  or <- format_estimate_ci(ivw$b, ivw$lo_ci, ivw$up_ci, exponentiate = TRUE)
  expect_match(html, or, fixed = TRUE)
  expect_match(html, format_pvalue(ivw$pval), fixed = TRUE)
  # every variant dropped in harmonisation, with its reason
  a <- harmonise_audit(dat)
  for (snp in a$SNP[a$status == "dropped"]) expect_match(html, paste0(">", snp, "<"), fixed = TRUE)
  for (why in unique(a$reason[a$status == "dropped"])) expect_match(html, why, fixed = TRUE)
  # reproducibility: version, seed and author
  expect_match(html, as.character(utils::packageVersion("mrkit")), fixed = TRUE)
  expect_match(html, "seed = 11", fixed = TRUE)
  expect_match(html, "Test author", fixed = TRUE)
})

test_that("MR-PRESSO's Monte Carlo p-values of 0 are printed below the simulation's resolution", {
  skip_if_no_pandoc()
  expect_false(grepl("below double range", rendered()$html, fixed = TRUE))
  expect_match(rendered()$html, "MR-PRESSO global test: p [=<] ", perl = TRUE)
})

test_that("the report reads as a page in headless Chromium", {
  skip_if_no_pandoc()
  chromium <- Sys.which(c("chromium", "chromium-browser", "google-chrome"))
  chromium <- chromium[nzchar(chromium)]
  skip_if(length(chromium) == 0L, "Chromium is not installed")
  file <- rendered()$files[[1]]
  url <- paste0("file://", normalizePath(file))
  args <- c("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars")
  # Chromium without a preloaded sanitizer runtime (make sanitize-r preloads libasan into R;
  # inherited, it makes Chromium hang)
  no_preload <- "LD_PRELOAD="
  dom <- suppressWarnings(system2(chromium[[1]], c(args, "--dump-dom", url), stdout = TRUE, stderr = FALSE,
                                  timeout = 120, env = no_preload))
  dom <- paste(dom, collapse = "\n")
  # the headings as the browser built them
  h2 <- regmatches(dom, gregexpr("<h2[^>]*>[^<]*</h2>", dom, perl = TRUE))[[1]]
  expect_identical(gsub("<[^>]+>", "", h2), section_titles)
  expect_gte(length(gregexpr("<img ", dom, fixed = TRUE)[[1]]), 6L)
  # the table of contents links to every section
  expect_gte(length(gregexpr("href=\"#", dom, fixed = TRUE)[[1]]), length(section_titles))
  png <- file.path(tempdir(), "mrkit-test-report.png")
  unlink(png)
  suppressWarnings(system2(chromium[[1]], c(args, paste0("--screenshot=", png), "--window-size=1280,4000", url),
                           stdout = FALSE, stderr = FALSE, timeout = 120, env = no_preload))
  expect_true(file.exists(png))
  head <- readBin(png, "raw", 24L)
  expect_identical(head[2:4], charToRaw("PNG"))
  width <- sum(as.integer(head[17:20]) * 256^(3:0))
  height <- sum(as.integer(head[21:24]) * 256^(3:0))
  expect_identical(c(width, height), c(1280, 4000))
  expect_gt(file.size(png), 50000)
})

# Simulates a machine without pandoc: no PATH, no RStudio pandoc.
local_no_pandoc <- function(env = parent.frame()) {
  withr::defer(rmarkdown::find_pandoc(cache = FALSE), envir = env)
  withr::local_envvar(PATH = withr::local_tempdir(.local_envir = env), RSTUDIO_PANDOC = "", .local_envir = env)
  rmarkdown::find_pandoc(cache = FALSE)
}

test_that("without pandoc an HTML report is a classed error that says how to get pandoc", {
  skip_if_not_installed("rmarkdown")
  local_no_pandoc()
  expect_false(rmarkdown::pandoc_available())
  expect_error(mr_report(report_data(), output_path = tempdir()), class = "mrkit_error_pandoc_missing")
  expect_snapshot(mr_report(report_data(), output_path = tempdir()), error = TRUE)
})

test_that("output_type = \"md\" writes Markdown with its plots without pandoc", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  local_no_pandoc()
  dir <- withr::local_tempdir()
  panel <- simulate_scan_data(n_exposures = 3, n_outcomes = 2, seed = 1)
  scan <- suppressWarnings(withr::with_seed(1, mr_scan(panel$exposures, panel$outcomes, clump = FALSE, method_list = "mr_ivw")))
  f <- suppressMessages(mr_report(scan, output_path = dir, output_type = "md"))
  expect_identical(basename(f[["study"]]), "mr_study_report_scan.md")
  md <- readLines(f[["study"]])
  for (s in c("Summary forest plot", "Multiple testing", "Results", "Pairs", "STROBE-MR checklist", "Reproducibility")) {
    expect_true(paste("##", s) %in% md, label = s)
  }
  figs <- list.files(file.path(dir, "mr_study_report_scan_files"), pattern = "\\.png$")
  expect_length(figs, 2L)
  expect_true(all(vapply(figs, function(x) any(grepl(x, md, fixed = TRUE)), logical(1))))
  # the multiple-testing summary counts Benjamini-Hochberg hits per outcome (over exposures)
  res <- scan[scan$analysis == "mr", ]
  bh <- unlist(lapply(split(res$pval, res$id.outcome), stats::p.adjust, method = "BH"))
  line <- md[grepl("^\\|Inverse-variance weighted", md)][1]
  cells <- trimws(strsplit(line, "|", fixed = TRUE)[[1]])
  expect_identical(cells[c(3, 6)], c(as.character(nrow(res)), as.character(sum(bh < 0.05))))
})

test_that("MR-PRESSO gets enough simulations for its outlier test, or the report says it has too few", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  local_no_pandoc()
  dat <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  J <- nrow(dat)
  md_of <- function(...) {
    dir <- withr::local_tempdir(.local_envir = parent.frame())
    readLines(suppressMessages(mr_report(dat, output_path = dir, output_type = "md", seed = 3, ...))[[1]])
  }
  # by default 200 simulations per variant: corrected p-values in steps of 0.005
  md <- md_of()
  expect_true(any(grepl(sprintf("MR-PRESSO (%d simulations)", 200 * J), md, fixed = TRUE)))
  expect_false(any(grepl("Too few simulations", md, fixed = TRUE)))
  # 200 draws for 30 variants: a corrected p-value below 0.05 cannot be reached, and the
  # report and a warning say so
  expect_warning(md <- md_of(NbDistribution = 200), class = "mrkit_warning_presso_unstable")
  expect_true(any(grepl("Too few simulations for the outlier test", md, fixed = TRUE)))
  # the Q and radial flags are Bonferroni-adjusted, and the table says so
  expect_true(any(grepl("Bonferroni-adjusted p < 0.05", md, fixed = TRUE)))
})

test_that("a pair without usable variants gets no report and a message; none at all is an error", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  local_no_pandoc()
  dat <- report_data()
  dat$mr_keep <- FALSE
  dir <- withr::local_tempdir()
  expect_error(suppressMessages(mr_report(dat, output_path = dir, output_type = "md")),
               class = "mrkit_error_too_few_snps")
  expect_snapshot(mr_report(dat, output_path = dir, output_type = "md"), error = TRUE)
  two <- rbind(report_data(), transform(dat, id.outcome = "other", outcome = "Other outcome"))
  expect_message(f <- mr_report(two, output_path = dir, output_type = "md", NbDistribution = 5000),
                 class = "mrkit_message_too_few_snps")
  expect_length(f, 1L)
})

test_that("the STROBE-MR checklist has the statement's 20 items and fills what was run", {
  dat <- report_data()
  rep <- list(strength = mr_fstat(dat), heterogeneity = mr_heterogeneity(dat), pleiotropy = mr_pleiotropy_test(dat),
              mr = mr(dat, method_list = "mr_ivw"), nsnp = 17L, instruments = data.frame(SNP = "rs1"),
              binary_outcome = TRUE, settings = list(family_size = 1))
  s <- mrkit:::report_strobe(rep, design = "pair")
  expect_setequal(unique(as.integer(sub("[a-e-]+$", "", s$item))), 1:20)
  author <- s$in_report == "For the author"
  # software fills the methods and the assessment of the assumptions, never the discussion
  expect_true(all(author[s$item %in% c("1", "2", "3", "14", "15", "16a-c", "17", "18", "20")]))
  expect_match(s$in_report[s$item == "7"], "F-statistics", fixed = TRUE)
  expect_match(s$in_report[s$item == "7"], "MR-Egger intercept", fixed = TRUE)
  expect_match(s$in_report[s$item == "6c"], "Inverse variance weighted", fixed = TRUE)
  expect_match(s$in_report[s$item == "11b"], "odds ratios", fixed = TRUE)
  expect_identical(s$in_report[s$item == "13c"], "For the author")
})

test_that("mr_report() checks its arguments with classed errors", {
  skip_if_not_installed("rmarkdown")
  expect_error(mr_report(report_data(), output_type = "pdf"), class = "mrkit_error_parameter")
  expect_error(mr_report(data.frame(x = 1), output_type = "md"), class = "mrkit_error_input_type")
  expect_error(mr_report(report_data(), output_type = "md", NbDistribution = 1), class = "mrkit_error_parameter")
  # A data frame where the folder name goes (mr_report(res, dat)) is named, not passed to dir.create().
  expect_error(mr_report(report_data(), report_data()), class = "mrkit_error_parameter")
  # ... and one where output_type goes is described, not printed whole.
  expect_snapshot(mr_report(report_data(), output_path = tempdir(), data.frame(x = 1:50)), error = TRUE)
})

test_that("a mediation result gets one study report with its display and steps", {
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  dir <- withr::local_tempdir()
  sim <- mrkit:::simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
  f <- suppressMessages(mr_report(med, output_path = dir, output_type = "md"))
  md <- readLines(f[["study"]])
  expect_identical(md[grepl("^## ", md)], c("## Summary forest plot", "## Multiple testing", "## Results",
                                           "## STROBE-MR checklist", "## Reproducibility"))
  expect_length(list.files(file.path(dir, "mr_study_report_mediation_files"), pattern = "\\.png$"), 1L)
  # nothing printed between the plot and the next section
  expect_false(any(grepl("^\\[1\\]", md)))
  total <- med[med$effect == "total", ]
  expect_true(any(grepl(format_estimate_ci(total$b, total$lo_ci, total$up_ci, digits = 3), md, fixed = TRUE)))
})
