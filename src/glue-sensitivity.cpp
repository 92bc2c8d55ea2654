// Glue for the sensitivity analyses: leave-one-out and single-variant fits of one
// exposure-outcome pair, the names of the registry's methods, and Rucker's framework
// (tables of one fit, resampled fits, and the Cook's distance iteration; statistics in
// inst/include/mrkit/sensitivity/rucker.hpp).
#include "glue-convert.h"

#include <mrkit/sensitivity/leave_one_out.hpp>
#include <mrkit/sensitivity/rucker.hpp>
#include <mrkit/sensitivity/single_snp.hpp>

namespace {

std::vector<std::uint64_t> seeds_from_doubles(const std::vector<double>& seeds) {
  std::vector<std::uint64_t> s(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i) s[i] = glue::seed_from_double(seeds[i]);
  return s;
}

Rcpp::List estimates_to_columns(const std::vector<mrkit::Estimate>& est) {
  const std::size_t n = est.size();
  Rcpp::NumericVector b(n), se(n), pval(n);
  Rcpp::IntegerVector nsnp(n);
  Rcpp::CharacterVector note(n);
  for (std::size_t k = 0; k < n; ++k) {
    b[k] = est[k].b; se[k] = est[k].se; pval[k] = est[k].pval; nsnp[k] = est[k].nsnp;
    note[k] = est[k].note;
  }
  return Rcpp::List::create(Rcpp::Named("b") = b, Rcpp::Named("se") = se,
                            Rcpp::Named("pval") = pval, Rcpp::Named("nsnp") = nsnp,
                            Rcpp::Named("note") = note);
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_leave_one_out(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                             Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                             std::string method, Rcpp::List parameters,
                             std::vector<double> seeds, int threads, bool fast) {
  const mrkit::Params p = glue::params_from_list(parameters);
  const mrkit::SummaryData d(bx, by, sx, sy);
  return estimates_to_columns(
      mrkit::leave_one_out(d, method, p, seeds_from_doubles(seeds), threads, fast));
}

// [[Rcpp::export]]
Rcpp::List cpp_single_snp(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> by,
                          Eigen::Map<Eigen::VectorXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                          std::string single_method, std::vector<std::string> all_methods,
                          Rcpp::List parameters, std::vector<double> seeds, int threads) {
  const mrkit::Params p = glue::params_from_list(parameters);
  const mrkit::SummaryData d(bx, by, sx, sy);
  return estimates_to_columns(mrkit::single_snp(d, single_method, all_methods, p,
                                                seeds_from_doubles(seeds), threads));
}

// [[Rcpp::export]]
std::vector<std::string> cpp_registered_methods() {
  std::vector<std::string> out;
  for (const auto& m : mrkit::method_registry()) out.emplace_back(m.obj);
  return out;
}

// -- Rucker's framework --

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
