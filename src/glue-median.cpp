// Glue for the weighted median of ratio estimates (TwoSampleMR's weighted_median()).
#include "glue-convert.h"

#include <mrkit/estimators/median.hpp>

// [[Rcpp::export]]
double cpp_weighted_median(std::vector<double> values, std::vector<double> weights) {
  return mrkit::weighted_median(values, weights);
}
