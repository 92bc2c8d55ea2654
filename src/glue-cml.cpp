// Glue for cML-MA (MendelianRandomization's mr_cML): not one registry Estimate, since it
// needs the sample size and returns per-K fits and goodness-of-fit p-values.
#include "glue-convert.h"

#include <mrkit/estimators/cml.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_mr_cml(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                      Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                      Rcpp::List options, double seed, int threads) {
  const mrkit::SummaryData d(bx, by, sx, sy);
  mrkit::CmlOptions o;
  o.K_vec = Rcpp::as<std::vector<int>>(options["K_vec"]);
  o.random_start = Rcpp::as<int>(options["random_start"]);
  o.random_start_pert = Rcpp::as<int>(options["random_start_pert"]);
  o.num_pert = Rcpp::as<int>(options["num_pert"]);
  o.maxit = Rcpp::as<int>(options["maxit"]);
  o.n = Rcpp::as<double>(options["n"]);
  o.MA = Rcpp::as<bool>(options["MA"]);
  o.DP = Rcpp::as<bool>(options["DP"]);
  o.alpha = Rcpp::as<double>(options["Alpha"]);
  o.seed = glue::seed_from_double(seed);
  o.threads = threads;
  const mrkit::CmlResult r = mrkit::cml_fit(d, o);
  std::vector<int> invalid(r.bic_invalid);
  for (auto& v : invalid) v += 1;
  return Rcpp::List::create(
      Rcpp::Named("b") = r.b, Rcpp::Named("se") = r.se, Rcpp::Named("pval") = r.pval,
      Rcpp::Named("lo_ci") = r.lo_ci, Rcpp::Named("up_ci") = r.up_ci,
      Rcpp::Named("GOF1_p") = r.gof1_p, Rcpp::Named("GOF2_p") = r.gof2_p,
      Rcpp::Named("BIC_invalid") = invalid,
      Rcpp::Named("fits") = Rcpp::DataFrame::create(
          Rcpp::Named("K") = o.K_vec, Rcpp::Named("theta") = r.theta_K,
          Rcpp::Named("se") = r.se_K, Rcpp::Named("neg_loglik") = r.l_K,
          Rcpp::Named("BIC") = r.bic),
      Rcpp::Named("se_not_positive") = r.se_na_warning);
}
