// Wald ratio for a single variant (methods.md 4.1): by / bx with first-order SE sy / |bx|.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <cmath>

namespace mrkit {

inline Estimate mr_wald_ratio(const SummaryData& d, const Params& /*p*/) {
  const int J = d.size();
  if (J != 1) return not_estimable(J, "the Wald ratio takes exactly one variant");
  Estimate e;
  e.nsnp = 1;
  e.b = d.by[0] / d.bx[0];
  e.se = d.sy[0] / std::fabs(d.bx[0]);
  e.pval = p_normal(e.b / e.se);
  return e;
}

}  // namespace mrkit
