// Glue for multivariable MR: matrices in, per-exposure tables out. No statistics here.
#include "glue-convert.h"

#include <mrkit/multivariable/mv_lasso.hpp>
#include <mrkit/multivariable/mv_median.hpp>
#include <mrkit/multivariable/mv_robust.hpp>
#include <mrkit/multivariable/mvmr.hpp>

namespace {

Rcpp::List table_to_list(const mrkit::MvTable& t) {
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("b") = Rcpp::wrap(t.b), Rcpp::Named("se") = Rcpp::wrap(t.se),
      Rcpp::Named("pval") = Rcpp::wrap(t.pval), Rcpp::Named("nsnp") = Rcpp::wrap(t.nsnp),
      Rcpp::Named("note") = Rcpp::wrap(t.note));
  if (t.marginal.size() > 0) out["marginal"] = Rcpp::wrap(t.marginal);
  return out;
}

Rcpp::List regression_to_list(const mrkit::MvRegression& r) {
  return Rcpp::List::create(
      Rcpp::Named("b") = Rcpp::wrap(r.b), Rcpp::Named("se") = Rcpp::wrap(r.se),
      Rcpp::Named("pval") = Rcpp::wrap(r.pval), Rcpp::Named("lo_ci") = Rcpp::wrap(r.lo),
      Rcpp::Named("up_ci") = Rcpp::wrap(r.up), Rcpp::Named("b_i") = r.b_i,
      Rcpp::Named("se_i") = r.se_i, Rcpp::Named("pval_i") = r.pval_i,
      Rcpp::Named("lo_ci_i") = r.lo_i, Rcpp::Named("up_ci_i") = r.up_i,
      Rcpp::Named("sigma") = r.sigma, Rcpp::Named("Q") = r.Q, Rcpp::Named("Q_df") = r.Q_df,
      Rcpp::Named("Q_pval") = r.Q_pval, Rcpp::Named("nsnp") = r.nsnp,
      Rcpp::Named("model") = r.model, Rcpp::Named("note") = r.note);
}

}  // namespace

// TwoSampleMR's estimators: fun is "multiple", "ivw", "residual" or "basic".
// [[Rcpp::export]]
Rcpp::List cpp_mv_tsmr(std::string fun, Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                       Eigen::Map<Eigen::VectorXd> sy, Eigen::Map<Eigen::MatrixXd> pval,
                       double threshold, bool intercept, bool instrument_specific) {
  const Eigen::MatrixXd X = bx, P = pval;
  const Eigen::VectorXd y = by, s = sy;
  if (fun == "multiple") return table_to_list(mrkit::mv_multiple(X, y, s, P, threshold, intercept, instrument_specific));
  if (fun == "ivw") return table_to_list(mrkit::mv_ivw_tsmr(X, y, s, P, threshold));
  if (fun == "residual") return table_to_list(mrkit::mv_residual(X, y, P, threshold, intercept, instrument_specific));
  if (fun == "basic") return table_to_list(mrkit::mv_basic(X, y, P, threshold));
  throw std::invalid_argument("unknown multivariable function " + fun);
}

// MendelianRandomization's conventions: fun "ivw" (mr_mvivw) or "egger" (mr_mvegger).
// [[Rcpp::export]]
Rcpp::List cpp_mv_regression(std::string fun, Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                             Eigen::Map<Eigen::VectorXd> sy, std::string model, bool use_t,
                             double alpha, int orientate) {
  const Eigen::MatrixXd X = bx;
  const Eigen::VectorXd y = by, s = sy;
  if (fun == "ivw") {
    const mrkit::MvModel m = model == "random" ? mrkit::MvModel::random
                             : model == "fixed" ? mrkit::MvModel::fixed : mrkit::MvModel::default_rule;
    return regression_to_list(mrkit::mv_ivw_mr(X, y, s, m, use_t, alpha));
  }
  if (fun == "egger") return regression_to_list(mrkit::mv_egger(X, y, s, orientate - 1, use_t, alpha));
  throw std::invalid_argument("unknown multivariable regression " + fun);
}

// mr_mvivw(robust = TRUE): MM-estimation; `seed` is the stream of lmrob's random subsamples.
// [[Rcpp::export]]
Rcpp::List cpp_mv_robust(Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                         Eigen::Map<Eigen::VectorXd> sy, std::string model, bool use_t, double alpha,
                         double seed) {
  const Eigen::MatrixXd X = bx;
  const Eigen::VectorXd y = by, s = sy;
  const mrkit::MvModel m = model == "random" ? mrkit::MvModel::random
                           : model == "fixed" ? mrkit::MvModel::fixed : mrkit::MvModel::default_rule;
  return regression_to_list(mrkit::mv_ivw_robust(X, y, s, m, use_t, alpha, glue::seed_from_double(seed)));
}

// [[Rcpp::export]]
Rcpp::List cpp_mv_median(Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                         Eigen::Map<Eigen::MatrixXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                         int nboot, double seed, int threads) {
  const mrkit::MvMedianResult r = mrkit::mv_median(bx, by, sx, sy, nboot, glue::seed_from_double(seed), threads);
  return Rcpp::List::create(Rcpp::Named("b") = Rcpp::wrap(r.b), Rcpp::Named("se") = Rcpp::wrap(r.se),
                            Rcpp::Named("nboot") = r.nboot, Rcpp::Named("failed") = r.failed);
}

// [[Rcpp::export]]
Rcpp::List cpp_mv_q(Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                    Eigen::Map<Eigen::MatrixXd> sx, Eigen::Map<Eigen::VectorXd> sy) {
  const mrkit::MvQ q = mrkit::mv_q(bx, by, sx, sy);
  return Rcpp::List::create(Rcpp::Named("theta") = Rcpp::wrap(q.theta), Rcpp::Named("Q") = q.Q,
                            Rcpp::Named("Q_df") = q.df, Rcpp::Named("Q_pval") = q.pval,
                            Rcpp::Named("note") = q.note);
}

// Conditional F: convention "MVMR" (Q_k / J) or "MendelianRandomization" (condFstat; needs
// nx and cor_x).
// [[Rcpp::export]]
Rcpp::List cpp_mv_fstat(std::string convention, Eigen::Map<Eigen::MatrixXd> bx,
                        Eigen::Map<Eigen::MatrixXd> sx, Eigen::Map<Eigen::VectorXd> nx,
                        Eigen::Map<Eigen::MatrixXd> cor_x) {
  std::string note;
  Eigen::VectorXd F = convention == "MVMR" ? mrkit::mv_fstat_mvmr(bx, sx)
                                           : mrkit::mv_fstat_mr(bx, sx, nx, cor_x, note);
  return Rcpp::List::create(Rcpp::Named("F") = Rcpp::wrap(F), Rcpp::Named("note") = note);
}

// MendelianRandomization's mr_mvlasso; lambda < 0 chooses it along the path.
// [[Rcpp::export]]
Rcpp::List cpp_mv_lasso(Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                        Eigen::Map<Eigen::VectorXd> sy, int orientate, double lambda, bool use_t,
                        double alpha) {
  const mrkit::MvLassoResult r = mrkit::mv_lasso(bx, by, sy, orientate - 1, lambda, use_t, alpha);
  std::vector<int> rows(r.valid_rows);
  for (auto& i : rows) ++i;
  return Rcpp::List::create(Rcpp::Named("b") = Rcpp::wrap(r.b), Rcpp::Named("se") = Rcpp::wrap(r.se),
                            Rcpp::Named("pval") = Rcpp::wrap(r.pval), Rcpp::Named("lo_ci") = Rcpp::wrap(r.lo),
                            Rcpp::Named("up_ci") = Rcpp::wrap(r.up), Rcpp::Named("lambda") = r.lambda,
                            Rcpp::Named("valid") = r.valid, Rcpp::Named("valid_rows") = Rcpp::wrap(rows),
                            Rcpp::Named("note") = r.note);
}
