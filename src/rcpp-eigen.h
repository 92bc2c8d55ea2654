// RcppEigen (Rcpp <-> Eigen conversions), included through this header by every glue file
// and, via mrkit_types.h, by RcppExports.cpp. Same pragmas as mrkit/eigen.hpp: they silence
// Eigen's -Wignored-attributes warnings (gcc >= 6) inside Eigen's headers only.
#pragma once

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

// RcppEigen.h also pulls in Eigen's unsupported IterativeSolvers module, which mrkit does not
// use; its ConstrainedConjGrad instantiates SparseMatrix<double> at namespace scope, and gcc
// 12 reports that instantiation's -Wignored-attributes warning in spite of the pragma (the
// pragma does not reach it, nor does one at the top of the file). Defining the module's guard skips
// it. Should RcppEigen rename the guard, the module comes back with that one warning.
#ifndef EIGEN_ITERATIVE_SOLVERS_MODULE_H
#define EIGEN_ITERATIVE_SOLVERS_MODULE_H
#endif

#include <RcppEigen.h>

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
