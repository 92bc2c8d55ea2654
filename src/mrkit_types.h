// Rcpp::compileAttributes() includes src/<package>_types.h at the top of RcppExports.cpp:
// RcppEigen through the one wrapper the glue files use too (src/rcpp-eigen.h).
#pragma once
#include "rcpp-eigen.h"
