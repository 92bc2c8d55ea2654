// Tail probabilities and quantiles used by every estimator (Boost.Math).
//
// Header-only by default. Boost.Math's incomplete beta and gamma functions are large
// templates, and a dozen translation units of the R package each compiled their own copy;
// there, MRKIT_DISTRIBUTIONS_SEPARATE (src/Makevars) leaves only declarations of the
// functions that call Boost here, and src/distributions.cpp compiles them once
// (MRKIT_DISTRIBUTIONS_IMPLEMENTATION), as mrkit/registry.hpp does for the estimators.
#pragma once
#include "mrkit/config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(MRKIT_DISTRIBUTIONS_SEPARATE)
#define MRKIT_DISTRIBUTIONS_LINKAGE
#else
#define MRKIT_DISTRIBUTIONS_LINKAGE inline
#endif

namespace mrkit {

// Reported p-values are never below P_MIN (the smallest positive normal double,
// R's .Machine$double.xmin) when the statistic is finite: a tail that underflows is
// reported as P_MIN, and its exact value is available on the log10 scale from the
// log10_p_* functions below, which never underflow.
constexpr double P_MIN = std::numeric_limits<double>::min();

inline double floor_pval(double p) { return p < P_MIN ? P_MIN : p; }

namespace detail {

constexpr double kLn10 = 2.302585092994045684;
constexpr double kLnSqrt2Pi = 0.918938533204672742;  // log(sqrt(2 pi))
constexpr double kLogTinyP = -690.0;                 // below this log p, use the log-space formulas

// log Phi(-x) for x >= 0. erfc is accurate down to about 1e-300 (x < 37); beyond, the
// asymptotic series Phi(-x) = phi(x) / x * sum_k (-1)^k (2k - 1)!! / x^(2k), whose terms
// still decrease at x >= 37 (ten terms: truncation error below 1e-22).
inline double log_normal_upper(double x) {
  if (x < 37.0) return std::log(0.5 * std::erfc(x / std::sqrt(2.0)));
  const double x2 = x * x;
  double term = 1.0, sum = 1.0;
  for (int k = 1; k <= 10; ++k) {
    term *= -(2.0 * k - 1.0) / x2;
    sum += term;
  }
  return -0.5 * x2 - std::log(x) - kLnSqrt2Pi + std::log(sum);
}

// log of the regularised incomplete beta I_x(a, b) from its continued fraction (modified
// Lentz), valid for x < (a + 1) / (a + b + 2); log_x and log_1mx are log x and log(1 - x),
// passed separately so that x = 0 in double (huge t) still has a finite log.
inline double log_ibeta_cf(double a, double b, double x, double log_x, double log_1mx) {
  const double tiny = 1e-300, eps = 1e-16;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 100000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  const double lbeta = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  return a * log_x + b * log_1mx - lbeta + std::log(h) - std::log(a);
}

// log of the regularised upper incomplete gamma Q(s, y) from its continued fraction
// (modified Lentz), valid for y > s + 1.
inline double log_gamma_upper_cf(double s, double y) {
  const double tiny = 1e-300, eps = 1e-16;
  double b = y + 1 - s, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i <= 100000; ++i) {
    const double an = -i * (i - s);
    b += 2;
    d = an * d + b; if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c; if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < eps) break;
  }
  return -y + s * std::log(y) - std::lgamma(s) + std::log(h);
}

// Boost.Math's tails (defined at the end of this file or in one separate translation unit).
MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_normal(double z);
MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_student(double t, double df);
MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_chisq_upper(double q, double df);

}  // namespace detail

// Two-sided normal p-value 2 * Phi(-|z|) (at least P_MIN for finite z).
inline double p_normal(double z) {
  if (std::isnan(z)) return NA;
  if (std::isinf(z)) return 0.0;
  return floor_pval(detail::raw_p_normal(z));
}

// Two-sided Student t p-value 2 * P(T_df > |t|) (at least P_MIN for finite t).
inline double p_student(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return NA;
  if (std::isinf(t)) return 0.0;
  return floor_pval(detail::raw_p_student(t, df));
}

// Upper tail of the chi-squared distribution P(X_df > q) (at least P_MIN for finite q).
inline double p_chisq_upper(double q, double df) {
  if (std::isnan(q) || !(df > 0)) return NA;
  if (q <= 0) return 1.0;
  if (std::isinf(q)) return 0.0;
  return floor_pval(detail::raw_p_chisq_upper(q, df));
}

// log10 of the two-sided normal p-value, exact where the p-value itself underflows.
inline double log10_p_normal(double z) {
  if (std::isnan(z)) return NA;
  if (std::isinf(z)) return -INFINITY;
  return (std::log(2.0) + detail::log_normal_upper(std::fabs(z))) / detail::kLn10;
}

// log10 of the two-sided Student t p-value: I_x(df / 2, 1 / 2) with x = df / (df + t^2),
// by its continued fraction where the p-value is below exp(-690).
inline double log10_p_student(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return NA;
  if (std::isinf(t)) return -INFINITY;
  const double p = detail::raw_p_student(t, df);
  if (p > 0 && std::log(p) > detail::kLogTinyP) return std::log10(p);
  const double r = std::fabs(t) / std::sqrt(df);  // x = 1 / (1 + r^2), large here
  const double log1p_inv = std::log1p(1 / (r * r));
  const double log_x = -(2 * std::log(r) + log1p_inv), log_1mx = -log1p_inv;
  const double x = 1 / (1 + r * r);
  return detail::log_ibeta_cf(df / 2, 0.5, x, log_x, log_1mx) / detail::kLn10;
}

// log10 of P(X_df > q) for the chi-squared distribution, by the continued fraction of the
// upper incomplete gamma where the p-value is below exp(-690).
inline double log10_p_chisq_upper(double q, double df) {
  if (std::isnan(q) || !(df > 0)) return NA;
  if (q <= 0) return 0.0;
  if (std::isinf(q)) return -INFINITY;
  const double p = detail::raw_p_chisq_upper(q, df);
  if (p > 0 && std::log(p) > detail::kLogTinyP) return std::log10(p);
  return detail::log_gamma_upper_cf(df / 2, q / 2) / detail::kLn10;
}

// Two-sided Wald test of `stat` against Student t(df), or the normal distribution when
// df is infinite.
inline double p_wald(double stat, double df) {
  return std::isinf(df) ? p_normal(stat) : p_student(stat, df);
}
inline double log10_p_wald(double stat, double df) {
  return std::isinf(df) ? log10_p_normal(stat) : log10_p_student(stat, df);
}

// The 1 - alpha / 2 quantile of the Wald test distribution (Student t(df), or normal when
// df is infinite): the half-width of the interval in SEs.
MRKIT_DISTRIBUTIONS_LINKAGE double wald_quantile(double alpha, double df);
// Standard normal and Student t(df) quantiles.
MRKIT_DISTRIBUTIONS_LINKAGE double q_normal(double p);
MRKIT_DISTRIBUTIONS_LINKAGE double q_student(double p, double df);
// Chi-squared(df) quantiles: of the lower tail (P(X <= q) = p) and of the upper tail
// (P(X > q) = p, computed from the complement, accurate for tiny p); Boost.Math's errors
// for p outside [0, 1] or df <= 0.
MRKIT_DISTRIBUTIONS_LINKAGE double q_chisq(double p, double df);
MRKIT_DISTRIBUTIONS_LINKAGE double q_chisq_upper(double p, double df);
// Exact two-sided binomial test against 0.5 (as R's binom.test).
MRKIT_DISTRIBUTIONS_LINKAGE double p_binomial_half(int x, int n);

// Two-sided p-value by the test distribution named in the parameters:
// normal when df is not positive or `use_t` is false, Student t(df) otherwise.
inline double p_two_sided(double stat, bool use_t, double df) {
  return use_t ? p_student(stat, df) : p_normal(stat);
}

// log10 of that p-value, summing the log probabilities of the outcomes no more likely than
// x (the same rule) where the p-value is below exp(-690).
inline double log10_p_binomial_half(int x, int n) {
  if (n <= 0) return NA;
  const double p = p_binomial_half(x, n);
  if (std::log(p) > detail::kLogTinyP) return std::log10(p);
  auto log_pmf = [n](int i) {
    return std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0);
  };
  const double bound = log_pmf(x) + std::log1p(1e-7);
  double top = -INFINITY;
  for (int i = 0; i <= n; ++i) if (log_pmf(i) <= bound) top = std::max(top, log_pmf(i));
  double sum = 0;
  for (int i = 0; i <= n; ++i) if (log_pmf(i) <= bound) sum += std::exp(log_pmf(i) - top);
  return (top + std::log(sum)) / detail::kLn10;
}

}  // namespace mrkit

#if !defined(MRKIT_DISTRIBUTIONS_SEPARATE) || defined(MRKIT_DISTRIBUTIONS_IMPLEMENTATION)
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace mrkit {
namespace detail {

MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_normal(double z) {
  static const boost::math::normal_distribution<double> n01;
  return 2.0 * boost::math::cdf(boost::math::complement(n01, std::fabs(z)));
}

MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_student(double t, double df) {
  boost::math::students_t_distribution<double> dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

MRKIT_DISTRIBUTIONS_LINKAGE double raw_p_chisq_upper(double q, double df) {
  boost::math::chi_squared_distribution<double> dist(df);
  return boost::math::cdf(boost::math::complement(dist, q));
}

}  // namespace detail

// The 1 - alpha / 2 quantile of that distribution: the half-width of the interval in SEs.
MRKIT_DISTRIBUTIONS_LINKAGE double wald_quantile(double alpha, double df) {
  static const boost::math::normal_distribution<double> n01;
  if (!(alpha > 0 && alpha < 1) || !(df > 0)) return NA;
  if (std::isinf(df)) return boost::math::quantile(n01, 1 - alpha / 2);
  boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(dist, 1 - alpha / 2);
}

// Standard normal quantile.
MRKIT_DISTRIBUTIONS_LINKAGE double q_normal(double p) {
  static const boost::math::normal_distribution<double> n01;
  if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : (p == 1 ? INFINITY : NA);
  return boost::math::quantile(n01, p);
}

MRKIT_DISTRIBUTIONS_LINKAGE double q_student(double p, double df) {
  if (!(df > 0) || !(p > 0 && p < 1)) return NA;
  boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(dist, p);
}

MRKIT_DISTRIBUTIONS_LINKAGE double q_chisq(double p, double df) {
  return boost::math::quantile(boost::math::chi_squared_distribution<double>(df), p);
}

MRKIT_DISTRIBUTIONS_LINKAGE double q_chisq_upper(double p, double df) {
  return boost::math::quantile(boost::math::complement(boost::math::chi_squared_distribution<double>(df), p));
}

// Exact two-sided binomial test against 0.5 (as R's binom.test): sum of the
// probabilities of all outcomes no more likely than the observed one.
MRKIT_DISTRIBUTIONS_LINKAGE double p_binomial_half(int x, int n) {
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
  return p > 1 ? 1.0 : floor_pval(p);
}

}  // namespace mrkit
#endif
