test_that("names SNP_A1_A2 are matched with swapped and other-strand alleles", {
  ld <- matrix(c(1, 0.5, 0.2, 0.5, 1, -0.3, 0.2, -0.3, 1), 3)
  dimnames(ld) <- rep(list(c("rs1_A_G", "rs2_C_T", "rs3_A_C")), 2)
  # rs1 as given, rs2 swapped (T/C), rs3 on the other strand (T/G)
  got <- mrkit:::check_ld(ld, 3, snp = c("rs3", "rs1", "rs2"), ea = c("T", "A", "T"), oa = c("G", "G", "C"))
  s <- c(1, 1, -1)
  expected <- (ld * outer(c(1, -1, 1), c(1, -1, 1)))[c(3, 1, 2), c(3, 1, 2)]
  expect_equal(got, unname(expected))
  expect_equal(got[2, 3], -0.5)
})

test_that("plain SNP names and positional matrices are accepted", {
  ld <- matrix(c(1, 0.4, 0.4, 1), 2, dimnames = list(c("b", "a"), c("b", "a")))
  expect_equal(mrkit:::check_ld(ld, 2, snp = c("a", "b"))[1, 2], 0.4)
  expect_equal(mrkit:::check_ld(unname(ld), 2, keep = c(TRUE, FALSE)), matrix(1))
  expect_error(mrkit:::check_ld("x", 2), class = "mrkit_error_ld_matrix")
  expect_error(mrkit:::check_ld(ld, 2, snp = c("a", "z")), class = "mrkit_error_ld_snps")
  expect_error(mrkit:::check_ld(ld * 2, 2), class = "mrkit_error_ld_values")
})
