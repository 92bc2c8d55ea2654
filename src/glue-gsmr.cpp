// Glue for GSMR (inst/include/mrkit/gsmr.hpp). Option strings were validated in R
// (R/est-gsmr.R); indices cross the boundary 1-based.
#include <Rcpp.h>
#include "rcpp-eigen.h"
#include <mrkit/estimators/gsmr.hpp>

#include <string>
#include <vector>

namespace {

mrkit::GsmrOptions gsmr_options(const Rcpp::List& l, int threads) {
  mrkit::GsmrOptions o;
  o.n_ref = Rcpp::as<double>(l["n_ref"]);
  o.gwas_thresh = Rcpp::as<double>(l["gwas_thresh"]);
  o.single_snp_heidi_thresh = Rcpp::as<double>(l["single_snp_heidi_thresh"]);
  o.multi_snp_heidi_thresh = Rcpp::as<double>(l["multi_snp_heidi_thresh"]);
  o.nsnps_thresh = Rcpp::as<int>(l["nsnps_thresh"]);
  o.ld_r2_thresh = Rcpp::as<double>(l["ld_r2_thresh"]);
  o.ld_fdr_thresh = Rcpp::as<double>(l["ld_fdr_thresh"]);
  const std::string heidi = Rcpp::as<std::string>(l["heidi"]);
  o.heidi = heidi == "none" ? mrkit::GsmrHeidi::none
            : heidi == "global" ? mrkit::GsmrHeidi::global : mrkit::GsmrHeidi::single;
  o.top = Rcpp::as<std::string>(l["top_snp"]) == "gsmr2" ? mrkit::GsmrTop::gsmr2 : mrkit::GsmrTop::strongest;
  o.threads = threads;
  return o;
}

const char* status_name(mrkit::GsmrStatus s) {
  switch (s) {
    case mrkit::GsmrStatus::used: return "used";
    case mrkit::GsmrStatus::tiny_se: return "tiny_se";
    case mrkit::GsmrStatus::weak: return "weak";
    case mrkit::GsmrStatus::ld_pruned: return "ld_pruned";
    case mrkit::GsmrStatus::heidi_outlier: return "heidi_outlier";
  }
  return "";
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_gsmr(Eigen::Map<Eigen::VectorXd> bx, Eigen::Map<Eigen::VectorXd> sx,
                    Eigen::Map<Eigen::VectorXd> by, Eigen::Map<Eigen::VectorXd> sy,
                    Eigen::Map<Eigen::VectorXd> pval_x, Eigen::Map<Eigen::MatrixXd> ld,
                    Rcpp::List control, int threads) {
  const mrkit::GsmrResult r = mrkit::gsmr_fit(bx, sx, by, sy, pval_x, ld, gsmr_options(control, threads));
  Rcpp::CharacterVector status(r.status.size());
  for (std::size_t k = 0; k < r.status.size(); ++k) status[k] = status_name(r.status[k]);
  return Rcpp::List::create(
      Rcpp::Named("b") = r.b, Rcpp::Named("se") = r.se, Rcpp::Named("pval") = r.pval,
      Rcpp::Named("nsnp") = r.nsnp, Rcpp::Named("status") = status,
      Rcpp::Named("heidi_pval") = Rcpp::wrap(r.heidi_pval),
      Rcpp::Named("removal_step") = Rcpp::wrap(r.removal_step),
      Rcpp::Named("top") = r.top < 0 ? NA_INTEGER : r.top + 1,
      Rcpp::Named("failed_at") = r.failed_at);
}

// [[Rcpp::export]]
double cpp_pchisqsum_saddle(double x, std::vector<double> lambda) {
  return mrkit::pchisqsum_saddle_upper(x, lambda);
}
