// Glue for the robust estimators whose results are more than one Estimate or that take
// options the registry kernels do not: MR-RAPS with its residuals, the contamination
// mixture's interval set and valid variants, pIVW's bootstrap-Fieller confidence set, the
// radial fits' tables, penalised / robust IVW and MR-Egger with MendelianRandomization's
// options (weights = "delta", psi), MR-Lasso with its per-variant output and a user lambda,
// and cML-MA (needs the sample size; returns per-K fits and goodness-of-fit p-values).
// One translation unit for the family: each glue file costs several seconds of a cold
// build for Rcpp and Eigen alone.
#include "glue-convert.h"

#include <mrkit/estimators/cml.hpp>
#include <mrkit/estimators/conmix.hpp>
#include <mrkit/estimators/lasso.hpp>
#include <mrkit/estimators/penalised_robust.hpp>
#include <mrkit/estimators/pivw.hpp>
#include <mrkit/estimators/raps.hpp>
#include <mrkit/sensitivity/radialmr.hpp>

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

// -- penalised / robust IVW and MR-Egger --

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

// -- MR-Lasso --

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

// -- cML-MA --

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
