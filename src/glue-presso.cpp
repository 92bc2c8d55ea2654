// Glue for MR-PRESSO: matrices in, the core's result as a plain R list out.
#include "glue-convert.h"

#include <mrkit/sensitivity/presso.hpp>

namespace {

Rcpp::List fit_to_list(const mrkit::PressoFit& f, int K) {
  if (!f.ok) {
    Rcpp::NumericVector na(K, NA_REAL);
    return Rcpp::List::create(Rcpp::Named("b") = na, Rcpp::Named("se") = na,
                              Rcpp::Named("t") = na, Rcpp::Named("p") = na);
  }
  return Rcpp::List::create(Rcpp::Named("b") = Rcpp::wrap(f.b), Rcpp::Named("se") = Rcpp::wrap(f.se),
                            Rcpp::Named("t") = Rcpp::wrap(f.t), Rcpp::Named("p") = Rcpp::wrap(f.p));
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_presso(Eigen::Map<Eigen::MatrixXd> bx, Eigen::Map<Eigen::VectorXd> by,
                      Eigen::Map<Eigen::MatrixXd> sx, Eigen::Map<Eigen::VectorXd> sy,
                      Rcpp::LogicalVector tests, double signif_threshold, int nb_distribution,
                      double seed, int threads) {
  mrkit::PressoOptions opt;
  opt.outlier_test = tests[0];
  opt.distortion_test = tests[1];
  opt.signif_threshold = signif_threshold;
  opt.nb_distribution = nb_distribution;
  opt.seed = glue::seed_from_double(seed);
  opt.threads = threads;
  opt.interrupted = glue::user_interrupted;
  const mrkit::PressoResult r = mrkit::mr_presso(bx, by, sx, sy, opt);
  if (r.cancelled) throw Rcpp::internal::InterruptedException();
  const int K = r.K;
  Rcpp::List out = Rcpp::List::create(
      Rcpp::Named("raw") = fit_to_list(r.raw, K),
      Rcpp::Named("corrected") = fit_to_list(r.corrected, K),
      Rcpp::Named("rss_obs") = r.rss_obs, Rcpp::Named("global_p") = r.global_p,
      Rcpp::Named("global_mcse") = r.global_mcse, Rcpp::Named("outlier_ran") = r.outlier_ran,
      Rcpp::Named("distortion_ran") = r.distortion_ran,
      Rcpp::Named("theta_loo") = Rcpp::wrap(r.theta_loo));
  if (r.outlier_ran) {
    out["outlier_rss"] = Rcpp::wrap(r.outlier_rss);
    out["outlier_p"] = Rcpp::wrap(r.outlier_p);
    out["outlier_p_raw"] = Rcpp::wrap(r.outlier_p_raw);
    out["outlier_mcse"] = Rcpp::wrap(r.outlier_mcse);
  }
  if (r.distortion_ran) {
    Rcpp::IntegerVector idx(r.outliers.size());
    for (std::size_t i = 0; i < r.outliers.size(); ++i) idx[i] = r.outliers[i] + 1;
    out["distortion_status"] = r.distortion_status;
    out["outliers"] = idx;
    if (r.distortion_status == 1) {
      out["distortion_coef"] = Rcpp::wrap(r.distortion_coef);
      out["distortion_p"] = r.distortion_p;
      out["distortion_mcse"] = r.distortion_mcse;
      out["distortion_p_k"] = Rcpp::wrap(r.distortion_p_k);
    }
  }
  return out;
}
