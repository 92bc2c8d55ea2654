// Glue for MR-Lasso with its per-variant output (intercepts, valid set) and a user lambda.
#include "glue-convert.h"

#include <mrkit/estimators/lasso.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_mr_lasso(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                        Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                        Rcpp::List parameters, double lambda) {
  const mrkit::Params p = glue::params_from_list(parameters);
  const mrkit::SummaryData d(bx, by, sx, sy);
  const mrkit::LassoResult r = mrkit::lasso_fit(d, p, lambda);
  Rcpp::List out = glue::estimate_to_list(r.est, p.alpha);
  std::vector<int> valid(r.valid);
  for (auto& v : valid) v += 1;
  out["RegIntercept"] = r.intercepts;
  out["ValidSNPs"] = valid;
  return out;
}

// [[Rcpp::export]]
Rcpp::List cpp_lasso_path(Eigen::Map<Eigen::MatrixXd> x, Eigen::Map<Eigen::VectorXd> y) {
  const mrkit::LassoPath path = mrkit::lasso_path(x, y);
  Rcpp::NumericMatrix beta(x.cols(), static_cast<int>(path.beta.size()));
  for (std::size_t k = 0; k < path.beta.size(); ++k)
    for (int j = 0; j < x.cols(); ++j) beta(j, static_cast<int>(k)) = path.beta[k][j];
  return Rcpp::List::create(Rcpp::Named("lambda") = path.lambda, Rcpp::Named("beta") = beta);
}
