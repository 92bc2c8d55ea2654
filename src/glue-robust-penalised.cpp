// Glue for penalised / robust IVW and MR-Egger with MendelianRandomization's options
// (weights = "delta", psi) that the registry kernels (simple weights) do not take.
#include "glue-convert.h"

#include <mrkit/estimators/penalised_robust.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_mr_robust_penalised(std::string model, Eigen::Map<Eigen::VectorXd> bx,
                                   Eigen::Map<Eigen::VectorXd> by, Eigen::Map<Eigen::VectorXd> sx,
                                   Eigen::Map<Eigen::VectorXd> sy, Rcpp::List parameters,
                                   double seed, Rcpp::List options) {
  mrkit::Params p = glue::params_from_list(parameters);
  p.seed = glue::seed_from_double(seed);
  const mrkit::SummaryData d(bx, by, sx, sy);
  mrkit::RobustOptions o;
  o.robust = Rcpp::as<bool>(options["robust"]);
  o.penalized = Rcpp::as<bool>(options["penalized"]);
  o.delta = Rcpp::as<std::string>(options["weights"]) == "delta";
  o.psi = Rcpp::as<double>(options["psi"]);
  const mrkit::Estimate e = model == "egger" ? mrkit::egger_robust_penalised(d, p, o)
                                             : mrkit::ivw_robust_penalised(d, p, o);
  return glue::estimate_to_list(e, p.alpha);
}
