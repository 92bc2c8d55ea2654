// Glue for the median- and mode-based estimators: the weighted median of ratio estimates
// (TwoSampleMR's weighted_median()), the full mr_mode() table from one shared bootstrap,
// and the weighted kernel density the modes use (for comparison with stats::density()).
#include "glue-convert.h"

#include <mrkit/estimators/median.hpp>
#include <mrkit/estimators/mode.hpp>

// [[Rcpp::export]]
double cpp_weighted_median(std::vector<double> values, std::vector<double> weights) {
  return mrkit::weighted_median(values, weights);
}

// [[Rcpp::export]]
Rcpp::List cpp_mr_mode(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                       Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                       Rcpp::List parameters, double seed, int threads) {
  mrkit::Params p = glue::params_from_list(parameters);
  p.seed = glue::seed_from_double(seed);
  p.threads = threads;
  const mrkit::SummaryData d(bx, by, sx, sy);
  const std::vector<mrkit::ModeKind> kinds = {
      mrkit::ModeKind::simple, mrkit::ModeKind::weighted, mrkit::ModeKind::penalised,
      mrkit::ModeKind::simple_nome, mrkit::ModeKind::weighted_nome};
  const mrkit::ModeTable t = mrkit::mode_table(d, p, kinds);
  const char* names[5] = {"Simple mode", "Weighted mode", "Penalised mode", "Simple mode (NOME)",
                          "Weighted mode (NOME)"};
  const std::size_t rows = t.kind.size();
  Rcpp::CharacterVector method(rows);
  Rcpp::NumericVector lo_ci(rows), up_ci(rows), pval_log10(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    method[i] = names[static_cast<int>(t.kind[i])];
    mrkit::Estimate e = mrkit::mode_row(t, static_cast<int>(i));
    mrkit::finish_estimate(e, p.alpha);
    lo_ci[i] = e.lo_ci; up_ci[i] = e.up_ci; pval_log10[i] = e.pval_log10;
  }
  return Rcpp::List::create(Rcpp::Named("method") = method, Rcpp::Named("phi") = t.phi,
                            Rcpp::Named("nsnp") = t.nsnp, Rcpp::Named("b") = t.b,
                            Rcpp::Named("se") = t.se, Rcpp::Named("pval") = t.pval,
                            Rcpp::Named("lo_ci") = lo_ci, Rcpp::Named("up_ci") = up_ci,
                            Rcpp::Named("pval_log10") = pval_log10, Rcpp::Named("note") = t.note);
}

// [[Rcpp::export]]
Rcpp::List cpp_mode_density(std::vector<double> x, std::vector<double> weights, double bw,
                            int grid_version) {
  if (x.size() != weights.size()) Rcpp::stop("x and weights must have the same length");
  mrkit::KdeWorkspace ws;
  std::vector<double> gx, gy;
  ws.density(x.data(), weights.data(), static_cast<int>(x.size()), bw, gx, gy, grid_version);
  const double mode = ws.mode(x.data(), weights.data(), static_cast<int>(x.size()), bw, grid_version);
  return Rcpp::List::create(Rcpp::Named("x") = gx, Rcpp::Named("y") = gy, Rcpp::Named("mode") = mode);
}
