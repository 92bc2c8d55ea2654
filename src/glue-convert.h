// Conversions shared by the glue files: R parameter list -> mrkit::Params and
// mrkit::Estimate -> R list. Strings were validated in R (R/parameters.R).
#pragma once
#include "glue-interrupt.h"
#include "rcpp-eigen.h"  // RcppEigen (and Rcpp), without Eigen's warnings
#include <mrkit/estimate.hpp>
#include <mrkit/params.hpp>

#include <cstdint>
#include <string>

namespace glue {

inline std::string get_string(const Rcpp::List& l, const char* name) {
  return Rcpp::as<std::string>(l[name]);
}

inline mrkit::Params params_from_list(const Rcpp::List& l) {
  mrkit::Params p;
  p.test_dist = get_string(l, "test_dist") == "t" ? mrkit::TestDist::t : mrkit::TestDist::z;
  p.nboot = Rcpp::as<int>(l["nboot"]);
  p.cov = Rcpp::as<double>(l["Cov"]);
  p.penk = Rcpp::as<double>(l["penk"]);
  p.phi = Rcpp::as<std::vector<double>>(l["phi"]);
  p.alpha = Rcpp::as<double>(l["alpha"]);
  p.qthresh = Rcpp::as<double>(l["Qthresh"]);
  p.over_dispersion = Rcpp::as<bool>(l["over.dispersion"]);
  const std::string loss = get_string(l, "loss.function");
  p.loss = loss == "l2" ? mrkit::LossFunction::l2
           : loss == "tukey" ? mrkit::LossFunction::tukey : mrkit::LossFunction::huber;
  p.shrinkage = Rcpp::as<bool>(l["shrinkage"]);
  p.median_weights = get_string(l, "median_weights") == "first_order"
                         ? mrkit::MedianWeights::first_order
                         : mrkit::MedianWeights::second_order;
  const std::string dist = get_string(l, "distribution");
  p.distribution = dist == "normal" ? mrkit::PvalDist::normal
                   : dist == "t"    ? mrkit::PvalDist::t : mrkit::PvalDist::tsmr;
  const std::string model = get_string(l, "ivw_model");
  p.ivw_model = model == "fixed" ? mrkit::IvwModel::fixed
                : model == "default" ? mrkit::IvwModel::default_rule : mrkit::IvwModel::random;
  p.mode_floor = Rcpp::as<bool>(l["mode_bandwidth_floor"]);
  p.tsmr_quirks = Rcpp::as<bool>(l["tsmr_quirks"]);
  p.r_density_version = Rcpp::as<int>(l["density_grid"]);
  return p;
}

inline std::uint64_t seed_from_double(double s) {
  return static_cast<std::uint64_t>(s);
}

// The estimate completed by mrkit::finish_estimate() (interval at level 1 - alpha and
// pval_log10) as an R list.
inline Rcpp::List estimate_to_list(mrkit::Estimate e, double alpha) {
  mrkit::finish_estimate(e, alpha);
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("b") = e.b, Rcpp::Named("se") = e.se, Rcpp::Named("pval") = e.pval,
      Rcpp::Named("lo_ci") = e.lo_ci, Rcpp::Named("up_ci") = e.up_ci,
      Rcpp::Named("pval_log10") = e.pval_log10, Rcpp::Named("df") = e.df,
      Rcpp::Named("nsnp") = e.nsnp, Rcpp::Named("b_i") = e.b_i, Rcpp::Named("se_i") = e.se_i,
      Rcpp::Named("pval_i") = e.pval_i, Rcpp::Named("Q") = e.Q, Rcpp::Named("Q_df") = e.Q_df,
      Rcpp::Named("Q_pval") = e.Q_pval);
  for (const auto& kv : e.extra) out[kv.first] = kv.second;
  out["note"] = e.note;
  return out;
}

}  // namespace glue
