// Tail probabilities and quantiles used by every estimator (Boost.Math).
#pragma once
#include "config.hpp"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace mrkit {

// Two-sided normal p-value 2 * Phi(-|z|).
inline double p_normal(double z) {
  if (std::isnan(z)) return NA;
  if (std::isinf(z)) return 0.0;
  static const boost::math::normal_distribution<double> n01;
  return 2.0 * boost::math::cdf(boost::math::complement(n01, std::fabs(z)));
}

// Two-sided Student t p-value 2 * P(T_df > |t|).
inline double p_student(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return NA;
  if (std::isinf(t)) return 0.0;
  boost::math::students_t_distribution<double> dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

// Upper tail of the chi-squared distribution P(X_df > q).
inline double p_chisq_upper(double q, double df) {
  if (std::isnan(q) || !(df > 0)) return NA;
  if (q <= 0) return 1.0;
  if (std::isinf(q)) return 0.0;
  boost::math::chi_squared_distribution<double> dist(df);
  return boost::math::cdf(boost::math::complement(dist, q));
}

// Standard normal quantile.
inline double q_normal(double p) {
  static const boost::math::normal_distribution<double> n01;
  if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : (p == 1 ? INFINITY : NA);
  return boost::math::quantile(n01, p);
}

inline double q_student(double p, double df) {
  if (!(df > 0) || !(p > 0 && p < 1)) return NA;
  boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(dist, p);
}

// Two-sided p-value by the test distribution named in the parameters:
// normal when df is not positive or `use_t` is false, Student t(df) otherwise.
inline double p_two_sided(double stat, bool use_t, double df) {
  return use_t ? p_student(stat, df) : p_normal(stat);
}

// Exact two-sided binomial test against 0.5 (as R's binom.test): sum of the
// probabilities of all outcomes no more likely than the observed one.
inline double p_binomial_half(int x, int n) {
  if (n <= 0) return NA;
  boost::math::binomial_distribution<double> dist(n, 0.5);
  const double d = boost::math::pdf(dist, x);
  const double relErr = 1 + 1e-7;
  const double m = n * 0.5;
  if (x == m) return 1.0;
  double p = 0;
  if (x < m) {
    int y = 0;
    for (int i = static_cast<int>(std::ceil(m)); i <= n; ++i)
      if (boost::math::pdf(dist, i) <= d * relErr) ++y;
    p = boost::math::cdf(dist, x) + (y > 0 ? boost::math::cdf(boost::math::complement(dist, n - y)) : 0.0);
  } else {
    int y = 0;
    for (int i = 0; i <= static_cast<int>(std::floor(m)); ++i)
      if (boost::math::pdf(dist, i) <= d * relErr) ++y;
    p = (y > 0 ? boost::math::cdf(dist, y - 1) : 0.0) + boost::math::cdf(boost::math::complement(dist, x - 1));
  }
  return p > 1 ? 1.0 : p;
}

}  // namespace mrkit
