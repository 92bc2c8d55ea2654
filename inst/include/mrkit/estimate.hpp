// The result of one estimator on one exposure-outcome pair.
#pragma once
#include "config.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mrkit {

struct Estimate {
  double b = NA, se = NA, pval = NA;
  int nsnp = 0;
  // Intercept (MR-Egger and relatives).
  double b_i = NA, se_i = NA, pval_i = NA;
  // Heterogeneity statistic of the fitted model.
  double Q = NA, Q_df = NA, Q_pval = NA;
  // Method-specific scalars (e.g. "b.adj" for MR-GRIP), in a fixed order per method.
  std::vector<std::pair<std::string, double>> extra;
  // Why the estimate is NA, when it is (empty otherwise).
  std::string note;

  void add(const std::string& name, double value) { extra.emplace_back(name, value); }
};

inline Estimate not_estimable(int nsnp, const std::string& why) {
  Estimate e;
  e.nsnp = nsnp;
  e.note = why;
  return e;
}

}  // namespace mrkit
