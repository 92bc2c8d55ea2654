// Glue for the estimators with an LD matrix (correlated.hpp).
#include "glue-convert.h"

#include <mrkit/estimators/correlated.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_mr_correlated(std::string method, Eigen::Map<Eigen::VectorXd> bx,
                             Eigen::Map<Eigen::VectorXd> by, Eigen::Map<Eigen::VectorXd> sx,
                             Eigen::Map<Eigen::VectorXd> sy, Eigen::Map<Eigen::MatrixXd> ld,
                             Rcpp::List parameters, Rcpp::List options) {
  const mrkit::Params p = glue::params_from_list(parameters);
  mrkit::PcOptions o;
  o.thres = Rcpp::as<double>(options["thres"]);
  o.n_pc = Rcpp::as<int>(options["n_pc"]);
  o.nx = Rcpp::as<double>(options["nx"]);
  o.ny = Rcpp::as<double>(options["ny"]);
  o.robust = Rcpp::as<bool>(options["robust"]);
  const mrkit::SummaryData d(bx, by, sx, sy);
  const Eigen::MatrixXd rho = ld;
  return glue::estimate_to_list(mrkit::mr_correlated(method, d, rho, p, o), p.alpha);
}
