// Multivariable robust IVW as MendelianRandomization's mr_mvivw(robust = TRUE): the weighted
// regression of by on the columns of bx without intercept (weights 1/sy^2) estimated by
// MM-estimation (lmrob.hpp), with lmrob's robust SE divided by min(sigma, 1) (random
// effects) or sigma (fixed effects); Q = (J - K) sigma^2 on J - K df.
#pragma once
#include "mrkit/numerics/lmrob.hpp"
#include "mrkit/multivariable/mvmr.hpp"
#include "mrkit/resampling/rng.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mrkit {

inline MvRegression mv_ivw_robust(const Mat& bx, const MVec& by, const MVec& sy, MvModel model,
                                  bool use_t, double alpha, std::uint64_t seed) {
  check_mv_sizes(bx, by);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MvRegression out;
  out.nsnp = static_cast<int>(J);
  out.b = out.se = out.pval = out.lo = out.up = MVec::Constant(K, NA);
  if (J <= K) { out.note = "more variants than exposures are needed"; return out; }
  // lmrob with weights w fits the rows scaled by sqrt(w) = 1 / sy.
  const Mat X = sy.cwiseInverse().asDiagonal() * bx;
  const MVec Y = by.cwiseQuotient(sy);
  Rng rng(seed, 0);
  const LmrobFit f = lmrob_mm(X, Y, rng);
  if (!f.ok) { out.note = "the MM-estimator found no S-estimate (degenerate data)"; return out; }
  if (model == MvModel::default_rule) model = J > 3 ? MvModel::random : MvModel::fixed;
  out.model = model == MvModel::random ? "random" : "fixed";
  const double div = model == MvModel::random ? std::min(f.scale, 1.0) : f.scale;
  const double df = static_cast<double>(J - K);
  const double q = use_t ? q_student(1 - alpha / 2, df) : q_normal(1 - alpha / 2);
  for (Eigen::Index k = 0; k < K; ++k) {
    out.b(k) = f.coef[k];
    out.se(k) = std::sqrt(f.cov(k, k)) / div;
    out.pval(k) = p_two_sided(out.b(k) / out.se(k), use_t, df);
    out.lo(k) = out.b(k) - q * out.se(k);
    out.up(k) = out.b(k) + q * out.se(k);
  }
  out.sigma = f.scale;
  out.Q = df * f.scale * f.scale;
  out.Q_df = df;
  out.Q_pval = p_chisq_upper(out.Q, df);
  if (!f.converged) out.note = "the MM-estimator's M-step did not converge";
  return out;
}

}  // namespace mrkit
