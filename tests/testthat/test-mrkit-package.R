# Package-level metadata and documentation that a new user meets first.

test_that("citation('mrkit') gives a dated entry without warnings", {
  expect_no_warning(cit <- citation("mrkit"))
  expect_identical(cit$year, format(as.Date(utils::packageDescription("mrkit")$Date), "%Y"))
  expect_match(format(cit, style = "text"), "The mrkit developers")
  expect_no_warning(utils::toBibtex(cit))
})

test_that("help pages cite the literature and examples use exported functions only", {
  db <- tools::Rd_db("mrkit")
  skip_if(length(db) == 0L, "help pages are not installed")
  text <- vapply(db, function(rd) paste(as.character(rd), collapse = ""), "")
  expect_identical(names(text)[grepl("methods.md", text, fixed = TRUE)], character())
  examples <- vapply(db, function(rd) {
    f <- tempfile(); on.exit(unlink(f))
    tools::Rd2ex(rd, f)
    if (file.exists(f)) paste(readLines(f), collapse = "\n") else ""
  }, "")
  expect_identical(names(examples)[grepl(":::", examples, fixed = TRUE)], character())
})

test_that("the example data are labelled as simulated", {
  expect_true(all(grepl("simulated", c(example_exposure$exposure, example_outcome$outcome))))
  rd <- tools::Rd_db("mrkit")[["example_exposure.Rd"]]
  skip_if(is.null(rd), "help pages are not installed")
  expect_match(paste(as.character(rd), collapse = ""), "Simulated")
})
