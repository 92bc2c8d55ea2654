// Glue for the robust estimators whose results are more than one Estimate: MR-RAPS with
// its residuals, the contamination mixture's interval set and valid variants, pIVW's
// bootstrap-Fieller confidence set, and the radial fits' tables.
#include "glue-convert.h"

#include <mrkit/estimators/conmix.hpp>
#include <mrkit/estimators/pivw.hpp>
#include <mrkit/sensitivity/radialmr.hpp>
#include <mrkit/estimators/raps.hpp>

// [[Rcpp::export]]
Rcpp::List cpp_raps(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                    Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                    Rcpp::List parameters, double seed) {
  const mrkit::Params p = glue::params_from_list(parameters);
  const mrkit::SummaryData d(bx, by, sx, sy);
  const mrkit::RapsFit f =
      mrkit::raps_fit(d, p.over_dispersion, p.loss, p.shrinkage, glue::seed_from_double(seed));
  return Rcpp::List::create(Rcpp::Named("b") = f.beta, Rcpp::Named("se") = f.se,
                            Rcpp::Named("tau2") = f.tau2, Rcpp::Named("tau2_se") = f.tau2_se,
                            Rcpp::Named("over_dispersion") = f.over_dispersion,
                            Rcpp::Named("std_resid") = f.t, Rcpp::Named("note") = f.note);
}

// [[Rcpp::export]]
Rcpp::List cpp_conmix(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                      Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                      Rcpp::List options) {
  const mrkit::SummaryData d(bx, by, sx, sy);
  const mrkit::ConmixFit f = mrkit::conmix_fit(
      d, Rcpp::as<double>(options["psi"]), Rcpp::as<double>(options["CIMin"]),
      Rcpp::as<double>(options["CIMax"]), Rcpp::as<double>(options["CIStep"]),
      Rcpp::as<double>(options["alpha"]));
  std::vector<int> valid(f.valid);
  for (auto& v : valid) v += 1;
  return Rcpp::List::create(
      Rcpp::Named("estimate") = f.estimate, Rcpp::Named("pval") = f.pval,
      Rcpp::Named("psi") = f.psi, Rcpp::Named("phi") = f.phi, Rcpp::Named("CIMin") = f.ci_min,
      Rcpp::Named("CIMax") = f.ci_max, Rcpp::Named("CIStep") = f.ci_step,
      Rcpp::Named("ci_lower") = f.ci_lower, Rcpp::Named("ci_upper") = f.ci_upper,
      Rcpp::Named("valid") = valid, Rcpp::Named("note") = f.note);
}

// [[Rcpp::export]]
Rcpp::List cpp_pivw(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                    Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                    Rcpp::List options, double seed, int threads) {
  const mrkit::SummaryData d(bx, by, sx, sy);
  mrkit::PivwOptions o;
  o.lambda = Rcpp::as<double>(options["lambda"]);
  o.over_dispersion = Rcpp::as<bool>(options["over.dispersion"]);
  o.delta = Rcpp::as<double>(options["delta"]);
  o.sel_pval = Rcpp::as<std::vector<double>>(options["sel.pval"]);
  o.boot_fieller = Rcpp::as<bool>(options["Boot.Fieller"]);
  o.alpha = Rcpp::as<double>(options["alpha"]);
  o.nboot = Rcpp::as<int>(options["nboot"]);
  o.seed = glue::seed_from_double(seed);
  o.threads = threads;
  const mrkit::PivwFit f = mrkit::pivw_fit(d, o);
  return Rcpp::List::create(
      Rcpp::Named("b") = f.b, Rcpp::Named("se") = f.se, Rcpp::Named("pval") = f.pval,
      Rcpp::Named("nsnp") = f.nsnp, Rcpp::Named("tau2") = f.tau2,
      Rcpp::Named("condition") = f.condition, Rcpp::Named("ci_lower") = f.ci_lower,
      Rcpp::Named("ci_upper") = f.ci_upper, Rcpp::Named("note") = f.note);
}

// [[Rcpp::export]]
Rcpp::List cpp_radial(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                      Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                      std::string model, int weights, Rcpp::List options, double seed) {
  const mrkit::SummaryData d(bx, by, sx, sy);
  const auto w = static_cast<mrkit::RadialWeights>(weights);
  const double alpha = Rcpp::as<double>(options["alpha"]);
  const mrkit::RadialFit f =
      model == "egger"
          ? mrkit::radial_egger(d, w, alpha)
          : mrkit::radial_ivw(d, w, alpha, Rcpp::as<double>(options["tol"]),
                              Rcpp::as<int>(options["nboot"]), glue::seed_from_double(seed));
  const std::size_t n = f.coef.size();
  Rcpp::CharacterVector term(n);
  Rcpp::NumericVector est(n), se(n), stat(n), pval(n);
  for (std::size_t k = 0; k < n; ++k) {
    term[k] = f.coef[k].term; est[k] = f.coef[k].estimate; se[k] = f.coef[k].se;
    stat[k] = f.coef[k].statistic; pval[k] = f.coef[k].pval;
  }
  Rcpp::DataFrame coef = Rcpp::DataFrame::create(
      Rcpp::Named("term") = term, Rcpp::Named("estimate") = est, Rcpp::Named("se") = se,
      Rcpp::Named("statistic") = stat, Rcpp::Named("pval") = pval,
      Rcpp::Named("stringsAsFactors") = false);
  Rcpp::LogicalVector outlier(f.outlier.size());
  for (std::size_t k = 0; k < f.outlier.size(); ++k) outlier[k] = f.outlier[k] != 0;
  return Rcpp::List::create(
      Rcpp::Named("coef") = coef, Rcpp::Named("Q") = f.Q, Rcpp::Named("Q_df") = f.Q_df,
      Rcpp::Named("Q_pval") = f.Q_pval, Rcpp::Named("phi") = f.phi,
      Rcpp::Named("iterations") = f.iterations, Rcpp::Named("mean_f") = f.mean_f,
      Rcpp::Named("w") = Rcpp::NumericVector(f.w.data(), f.w.data() + f.w.size()),
      Rcpp::Named("qj") = Rcpp::NumericVector(f.qj.data(), f.qj.data() + f.qj.size()),
      Rcpp::Named("qj_pval") =
          Rcpp::NumericVector(f.qj_pval.data(), f.qj_pval.data() + f.qj_pval.size()),
      Rcpp::Named("outlier") = outlier, Rcpp::Named("note") = f.note);
}
