// Sign concordance test (methods.md 4.17, TwoSampleMR mr_sign).
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

namespace mrkit {

// Variants with a zero SNP-exposure or SNP-outcome effect are left out; at least 6 must
// remain. x of the n remaining variants have effects of the same sign: b = 2 (x / n - 0.5)
// (+1: all concordant, -1: all discordant), se = NA, p from the exact two-sided binomial
// test against 1/2, nsnp = n. Standard errors are not used.
inline Estimate mr_sign(const SummaryData& d, const Params& /*p*/) {
  int n = 0, x = 0;
  for (int j = 0; j < d.size(); ++j) {
    if (d.bx[j] == 0 || d.by[j] == 0) continue;
    ++n;
    if ((d.bx[j] > 0) == (d.by[j] > 0)) ++x;
  }
  if (n < 6) return not_estimable(n, "the sign concordance test needs at least 6 variants with non-zero effects");
  Estimate e;
  e.nsnp = n;
  e.b = 2.0 * (static_cast<double>(x) / n - 0.5);
  e.pval = p_binomial_half(x, n);
  e.pval_log10 = log10_p_binomial_half(x, n);
  e.df = NA;  // no standard error, no interval
  e.wald_pval = false;
  e.add("n_concordant", x);
  return e;
}

}  // namespace mrkit
