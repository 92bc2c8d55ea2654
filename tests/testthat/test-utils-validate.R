# The one rule for the rows an estimator uses (?mr_input), checked on the shared validator.

test_that("check_summary_vectors: mr_keep, completeness, and the audit of rows left out", {
  d <- sim(nsnp = 8, b = 0.3, seed = 21)
  d$mr_keep[c(1, 5)] <- c(FALSE, NA)          # NA counts as not kept
  d$beta.exposure[1] <- Inf                   # a row not kept is not checked
  d$se.outcome[6] <- NA
  v <- suppressMessages(mrkit:::check_summary_vectors(d))
  expect_identical(v$keep, !(seq_len(8) %in% c(1, 5, 6)))
  expect_identical(v$bx, d$beta.exposure[v$keep])
  expect_identical(v$sy, d$se.outcome[v$keep])
  expect_identical(v$n, 8L)
  expect_equal(v$audit, data.frame(id.exposure = "exp1", id.outcome = "out1", SNP = d$SNP[c(1, 5, 6)],
                                   row = c(1L, 5L, 6L),
                                   reason = c("mr_keep is FALSE", "mr_keep is FALSE",
                                              "missing effect or standard error")))
  # Without mr_keep, ids or SNP columns every complete row is used.
  bare <- d[c("beta.exposure", "beta.outcome", "se.exposure", "se.outcome")][-1, ]
  v2 <- suppressMessages(mrkit:::check_summary_vectors(bare))
  expect_identical(sum(v2$keep), 6L)
  expect_equal(v2$audit$row, 5L)
  expect_equal(v2$audit$SNP, NA_character_)
  # Vectors: the same rule without mr_keep.
  v3 <- suppressMessages(mrkit:::check_summary_vectors(c(1, NA, 2), c(1, 2, 3), c(1, 1, 1), c(1, 1, 1)))
  expect_identical(v3$keep, c(TRUE, FALSE, TRUE))
  expect_equal(v3$audit$row, 2L)
})

test_that("bad values in used rows are classed errors naming the column and row", {
  d <- sim(nsnp = 6, b = 0.3, seed = 22)
  d$se.exposure[4] <- 0
  expect_snapshot(error = TRUE, mrkit:::check_summary_vectors(d))
  d$se.exposure[4] <- 0.01
  d$beta.outcome <- as.character(d$beta.outcome)
  expect_error(mrkit:::check_summary_vectors(d), class = "mrkit_error_input_type")
  expect_error(mrkit:::check_summary_vectors(c(1, 2), c(1, 2, 3), c(1, 1), c(1, 1)),
               class = "mrkit_error_input_length")
})

test_that("usable_rows keeps the rows of the rule and carries the audit", {
  d <- sim(nsnp = 6, b = 0.3, seed = 23)
  d$mr_keep[2] <- FALSE
  expect_message(u <- mrkit:::usable_rows(d), class = "mrkit_message_rows_dropped")
  expect_identical(u$SNP, d$SNP[-2])
  expect_equal(attr(u, "audit")$SNP, d$SNP[2])
  expect_error(mrkit:::usable_rows(list(1)), class = "mrkit_error_input_type")
})

test_that("announce_dropped counts reasons in order of appearance, once", {
  a <- data.frame(reason = c("b", "a", "b"))
  expect_snapshot(mrkit:::announce_dropped(a, 10, "f()", unit = "SNP"))
  expect_false(mrkit:::announce_dropped(a[0, , drop = FALSE], 10, "f()"))
})
