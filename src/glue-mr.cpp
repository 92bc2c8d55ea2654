// Glue for the method registry: one method on one pair, and many pairs x many methods.
#include "glue-convert.h"

#include <mrkit/run_pairs.hpp>

using Eigen::Map;
using Eigen::VectorXd;

// [[Rcpp::export]]
Rcpp::List cpp_mr_method(std::string method, Eigen::Map<Eigen::VectorXd> bx,
                         Eigen::Map<Eigen::VectorXd> by, Eigen::Map<Eigen::VectorXd> sx,
                         Eigen::Map<Eigen::VectorXd> sy, Rcpp::List parameters, double seed,
                         int threads) {
  mrkit::Params p = glue::params_from_list(parameters);
  p.seed = glue::seed_from_double(seed);
  p.threads = threads;
  const mrkit::SummaryData d(bx, by, sx, sy);
  return glue::estimate_to_list(mrkit::find_method(method)(d, p), p.alpha);
}

// [[Rcpp::export]]
Rcpp::List cpp_mr_pairs(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                        Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                        std::vector<int> offsets, std::vector<std::string> methods,
                        Rcpp::List parameters, std::vector<double> seeds, int threads) {
  const mrkit::Params p = glue::params_from_list(parameters);
  std::vector<std::uint64_t> s(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i) s[i] = glue::seed_from_double(seeds[i]);
  std::vector<mrkit::Estimate> est;
  try {
    est = mrkit::run_pairs(bx, by, sx, sy, offsets, methods, p, s, threads, glue::user_interrupted);
  } catch (const mrkit::Interrupted&) {
    throw Rcpp::internal::InterruptedException();
  }
  const std::size_t n = est.size();
  Rcpp::NumericVector b(n), se(n), pval(n), lo_ci(n), up_ci(n), pval_log10(n), b_i(n), se_i(n),
      pval_i(n), Q(n), Q_df(n), Q_pval(n);
  Rcpp::IntegerVector nsnp(n);
  for (std::size_t k = 0; k < n; ++k) {
    b[k] = est[k].b; se[k] = est[k].se; pval[k] = est[k].pval; nsnp[k] = est[k].nsnp;
    lo_ci[k] = est[k].lo_ci; up_ci[k] = est[k].up_ci; pval_log10[k] = est[k].pval_log10;
    b_i[k] = est[k].b_i; se_i[k] = est[k].se_i; pval_i[k] = est[k].pval_i;
    Q[k] = est[k].Q; Q_df[k] = est[k].Q_df; Q_pval[k] = est[k].Q_pval;
  }
  return Rcpp::List::create(Rcpp::Named("nsnp") = nsnp, Rcpp::Named("b") = b,
                            Rcpp::Named("se") = se, Rcpp::Named("pval") = pval,
                            Rcpp::Named("lo_ci") = lo_ci, Rcpp::Named("up_ci") = up_ci,
                            Rcpp::Named("pval_log10") = pval_log10, Rcpp::Named("b_i") = b_i, Rcpp::Named("se_i") = se_i,
                            Rcpp::Named("pval_i") = pval_i, Rcpp::Named("Q") = Q,
                            Rcpp::Named("Q_df") = Q_df, Rcpp::Named("Q_pval") = Q_pval);
}
