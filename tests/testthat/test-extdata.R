# The real tables shipped in inst/extdata read back identically to their sources in
# ../shared (whole rows of the source, nothing changed). Both are read as text, so the
# comparison is of the written values themselves, not of their parsed types.

extdata <- function(f) {
  p <- system.file("extdata", f, package = "mrkit")
  if (!nzchar(p)) p <- testthat::test_path("..", "..", "inst", "extdata", f)
  read_text_csv(p)
}

read_text_csv <- function(p) utils::read.csv(p, colClasses = "character")

test_that("shipped MS and iron instruments equal their rows of the MRInstruments table", {
  skip_if_no_shared()
  src <- read_text_csv(shared_file("data", "mrbase_instruments", "instruments.csv"))
  groups <- c("multiple_sclerosis", "multiple_sclerosis_legacy_duplicate", "iron_status")
  want <- src[src$trait_group %in% groups, ]
  rownames(want) <- NULL
  got <- extdata("ms_iron_instruments.csv")
  expect_identical(got, want)
  # 71 rows of current MS studies, 70 of legacy duplicates, 19 of iron status
  expect_identical(as.vector(table(got$trait_group)[groups]), c(71L, 70L, 19L))
})

# A study's trait table and its rows of the published results, as shipped.
expect_study_files <- function(study) {
  f <- paste0(study, "_traits.csv")
  expect_identical(extdata(f), read_text_csv(shared_file("data", "studies", f)))
  pub <- read_text_csv(shared_file("data", "studies", "published_results.csv"))
  pub <- pub[pub$study == study, ]
  rownames(pub) <- NULL
  expect_identical(extdata(paste0(study, "_published_results.csv")), pub)
  invisible(pub)
}

test_that("shipped study trait table and published results equal their sources", {
  skip_if_no_shared()
  expect_study_files("study2")
})

test_that("shipped cytokine instruments equal their sources", {
  skip_if_no_shared()
  for (f in c("scallop_inf1.csv", "aholaolli_tnfa_instruments.csv")) {
    expect_identical(extdata(f), read_text_csv(shared_file("data", "cytokine_instruments", f)))
  }
  # 180 pQTLs over 70 proteins; 6 TNF-alpha instruments
  scallop <- extdata("scallop_inf1.csv")
  expect_identical(c(nrow(scallop), length(unique(scallop$Protein))), c(180L, 70L))
  expect_identical(nrow(extdata("aholaolli_tnfa_instruments.csv")), 6L)
})

test_that("shipped study-3 trait table and published results equal their sources", {
  skip_if_no_shared()
  expect_identical(nrow(expect_study_files("study3")), 4L)
})

test_that("shipped micronutrient instruments equal their rows of the MRInstruments table", {
  skip_if_no_shared()
  src <- read_text_csv(shared_file("data", "mrbase_instruments", "instruments.csv"))
  groups <- c("zinc", "vitamin_d_supplement_use", "vitamin_a_supplement_use",
              "vitamin_b12_medication_use", "ascorbate_metabolite")
  want <- src[src$trait_group %in% groups, ]
  rownames(want) <- NULL
  got <- extdata("micronutrient_instruments.csv")
  expect_identical(got, want)
  # Evans 2013 zinc (2 variants), UK Biobank supplement and medication use (1 + 1 + 20),
  # Shin 2014 O-methylascorbate (6)
  expect_identical(as.vector(table(got$trait_group)[groups]), c(2L, 1L, 1L, 20L, 6L))
})

test_that("shipped study-1 trait table and published results equal their sources", {
  skip_if_no_shared()
  traits <- extdata("study1_traits.csv.gz")
  expect_identical(traits, read_text_csv(shared_file("data", "studies", "study1_traits.csv")))
  expect_identical(as.vector(table(traits$role)[c("exposure", "mediator", "outcome")]),
                   c(731L, 6L, 2L))
  pub <- read_text_csv(shared_file("data", "studies", "published_results.csv"))
  pub <- pub[pub$study == "study1", ]
  rownames(pub) <- NULL
  expect_identical(extdata("study1_published_results.csv"), pub)
})
