// Glue for the sensitivity analyses: leave-one-out and single-variant fits of one
// exposure-outcome pair, and the names of the registry's methods.
#include "glue-convert.h"

#include <mrkit/sensitivity/leave_one_out.hpp>
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
