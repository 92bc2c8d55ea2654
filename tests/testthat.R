library(testthat)
library(mrkit)

test_check("mrkit")
