// Rcpp::compileAttributes() includes src/<package>_types.h at the top of RcppExports.cpp,
// before RcppEigen.h: including the quiet RcppEigen wrapper here keeps RcppExports.cpp free
// of Eigen's warnings (RcppEigen.h's include guard makes the generated include a no-op).
#pragma once
#include "rcpp-eigen.h"
