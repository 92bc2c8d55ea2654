// Glue for Rucker's framework: tables of one fit, resampled fits, and the Cook's distance
// iteration. Statistics live in inst/include/mrkit/rucker.hpp.
#include "glue-convert.h"

#include <mrkit/sensitivity/rucker.hpp>

namespace {

Rcpp::List rows_to_list(const mrkit::RuckerRow* rows, int n) {
  Rcpp::NumericVector est(n), se(n), lo(n), up(n), p(n);
  for (int i = 0; i < n; ++i) {
    est[i] = rows[i].estimate; se[i] = rows[i].se; lo[i] = rows[i].ci_low;
    up[i] = rows[i].ci_upp; p[i] = rows[i].p;
  }
  return Rcpp::List::create(Rcpp::Named("Estimate") = est, Rcpp::Named("SE") = se,
                            Rcpp::Named("CI_low") = lo, Rcpp::Named("CI_upp") = up,
                            Rcpp::Named("P") = p);
}

Rcpp::List fit_to_list(const mrkit::RuckerFit& f) {
  return Rcpp::List::create(
      Rcpp::Named("ok") = f.ok, Rcpp::Named("note") = f.note, Rcpp::Named("nsnp") = f.nsnp,
      Rcpp::Named("rucker") = rows_to_list(f.rows, 4),
      Rcpp::Named("intercept") = rows_to_list(f.intercept, 2),
      Rcpp::Named("Q") = Rcpp::NumericVector(f.Q, f.Q + 3),
      Rcpp::Named("Q_df") = Rcpp::NumericVector(f.Q_df, f.Q_df + 3),
      Rcpp::Named("Q_p") = Rcpp::NumericVector(f.Q_p, f.Q_p + 3),
      Rcpp::Named("model") = f.model + 1,
      Rcpp::Named("cooks") = Rcpp::NumericVector(f.cooks.data(), f.cooks.data() + f.cooks.size()));
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_rucker(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                      Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                      Rcpp::List parameters) {
  const mrkit::Params p = glue::params_from_list(parameters);
  return fit_to_list(mrkit::rucker_fit(mrkit::SummaryData(bx, by, sx, sy), p));
}

// [[Rcpp::export]]
Rcpp::List cpp_rucker_cooks(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                            Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                            Rcpp::List parameters) {
  const mrkit::Params p = glue::params_from_list(parameters);
  std::vector<int> kept;
  const mrkit::RuckerFit f = mrkit::rucker_cooks(mrkit::SummaryData(bx, by, sx, sy), p, kept);
  Rcpp::List out = fit_to_list(f);
  for (int& k : kept) k += 1;
  out["kept"] = Rcpp::wrap(kept);
  return out;
}

// [[Rcpp::export]]
Rcpp::List cpp_rucker_resample(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                               Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                               Rcpp::List parameters, double seed, int threads, bool jackknife) {
  mrkit::Params p = glue::params_from_list(parameters);
  p.seed = glue::seed_from_double(seed);
  p.threads = threads;
  const mrkit::RuckerResample r =
      mrkit::rucker_resample(mrkit::SummaryData(bx, by, sx, sy), p, jackknife);
  const int B = static_cast<int>(r.model.size());
  Rcpp::IntegerVector model(B);
  for (int b = 0; b < B; ++b) model[b] = r.model[b] < 0 ? NA_INTEGER : r.model[b] + 1;
  const mrkit::RuckerRow summary[2] = {r.mean_row, r.median_row};
  return Rcpp::List::create(
      Rcpp::Named("selected") = rows_to_list(r.selected.data(), B), Rcpp::Named("model") = model,
      Rcpp::Named("Q") = Rcpp::wrap(r.Q), Rcpp::Named("Qdash") = Rcpp::wrap(r.Qdash),
      Rcpp::Named("n_ok") = r.n_ok, Rcpp::Named("summary") = rows_to_list(summary, 2));
}
