// RcppEigen (Rcpp <-> Eigen conversions), included through this header by every glue file
// and, via mrkit_types.h, by RcppExports.cpp. Eigen's -Wignored-attributes warnings: see
// inst/include/mrkit/eigen.hpp (no diagnostic pragmas, on CRAN's rules).
#pragma once

#include <RcppEigen.h>
