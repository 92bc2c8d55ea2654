// MR-GRIP (methods.md 4.16, TwoSampleMR mr_grip): MR-Egger with the genotype-recoding
// invariance property, plus its weak-instrument adjusted slope.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <cmath>

namespace mrkit {

// Regression of by*bx on bx^2 with an intercept and NOME weights 1 / (bx^2 sy^2): b is the
// slope with lm's SE (no floor), b_i the intercept; t(J - 2) p-values. Both terms are
// products of two associations with the same allele, so recoding any allele leaves the fit
// unchanged. Extras b.adj / se.adj / pval.adj: the weak-instrument adjusted slope with
// weights w = 1 / sy^2 (Dudbridge and Bowden), whose variance plugs in the common residual
// variance v = mean_k (by_k - (b bx_k^2 + b_i) / bx_k)^2 scaled by bx_j^2 (as TwoSampleMR).
inline Estimate mr_grip(const SummaryData& d, const Params& /*p*/) {
  const int J = d.size();
  if (J < 3) return not_estimable(J, "MR-GRIP needs at least 3 variants");
  if ((d.bx.array() == 0).any())
    return not_estimable(J, "MR-GRIP needs non-zero SNP-exposure effects (its weights are 1 / (bx^2 sy^2))");
  const Eigen::ArrayXd bx = d.bx.array(), by = d.by.array(), sx2 = d.sx.array().square(),
                       sy2 = d.sy.array().square();
  const Eigen::ArrayXd bx2 = bx.square();
  const WlsFit f = wls_intercept(bx2.matrix(), (by * bx).matrix(), (1.0 / (bx2 * sy2)).matrix());
  Estimate e;
  e.nsnp = J;
  if (f.aliased) { e.note = "collinear squared SNP-exposure effects in MR-GRIP"; return e; }
  const double df = J - 2;
  e.b = f.slope;
  e.se = f.slope_se;
  set_wald_test(e, true, df);
  e.b_i = f.intercept;
  e.se_i = f.intercept_se;
  e.pval_i = p_student(e.b_i / e.se_i, df);

  const Eigen::ArrayXd w = 1.0 / sy2;
  const double sw = w.sum();
  const Eigen::ArrayXd m = bx2 - sx2;           // bx^2 - sx^2
  const Eigen::ArrayXd c3 = bx2 - 3.0 * sx2;    // bx^2 - 3 sx^2
  const double swm = (w * m).sum();
  const double numer = sw * (w * by * bx * c3).sum() - (w * by * bx).sum() * swm;
  const double denom = sw * (w * (bx2 * bx2 - 6.0 * bx2 * sx2 + 3.0 * sx2 * sx2)).sum() - swm * swm;
  const double b_adj = numer / denom;
  const double resid_var = (by - (e.b * bx2 + e.b_i) / bx).square().mean();
  const Eigen::ArrayXd v = resid_var * bx2;
  const Eigen::ArrayXd w2v = w.square() * v;
  const double num_se = sw * sw * (w2v * c3.square()).sum() + w2v.sum() * swm * swm -
                        2.0 * sw * swm * (w2v * m).sum();
  const double se_adj = std::sqrt(num_se) / denom;
  e.add("b.adj", b_adj);
  e.add("se.adj", se_adj);
  e.add("pval.adj", p_student(b_adj / se_adj, df));
  return e;
}

}  // namespace mrkit
