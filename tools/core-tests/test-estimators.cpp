// Estimators at their edges: 0, 1, 2 and 3 instruments, equal standard errors, exact fits,
// collinear designs. Expected values are derived by hand in the comments.
#include <doctest/doctest.h>

#include <mrkit/mrkit.hpp>
#include <mrkit/multivariable/mvmr.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace {

mrkit::SummaryData data(std::vector<double> bx, std::vector<double> by, std::vector<double> sx,
                        std::vector<double> sy) {
  auto v = [](const std::vector<double>& x) { return Eigen::Map<const Eigen::VectorXd>(x.data(), x.size()); };
  return mrkit::SummaryData(v(bx), v(by), v(sx), v(sy));
}

mrkit::SummaryData empty_data() {
  const Eigen::VectorXd e(0);
  return mrkit::SummaryData(e, e, e, e);
}

// Two-sided p of t on 1 df (Cauchy): 1 - 2 atan(|t|) / pi.
double p_t1(double t) { return 1 - 2 * std::atan(std::fabs(t)) / M_PI; }

}  // namespace

TEST_SUITE("estimators") {
  TEST_CASE("every registered method returns a note, not a crash, for 0 and 1 instruments") {
    mrkit::Params p;
    p.nboot = 20;
    const auto zero = empty_data();
    const auto one = data({0.5}, {0.1}, {0.01}, {0.02});
    for (const auto& m : mrkit::method_registry()) {
      CAPTURE(m.obj);
      const mrkit::Estimate e0 = m.fn(zero, p);
      CHECK(e0.nsnp == 0);
      CHECK(std::isnan(e0.b));
      if (std::string(m.obj) == "mr_wald_ratio") continue;
      const mrkit::Estimate e1 = m.fn(one, p);
      CHECK(e1.nsnp == 1);
      if (std::isnan(e1.b)) CHECK_FALSE(e1.note.empty());
    }
  }

  TEST_CASE("Wald ratio: one instrument only; b = by/bx, se = sy/|bx|") {
    mrkit::Params p;
    const auto e = mrkit::mr_wald_ratio(data({-0.5}, {0.1}, {0.01}, {0.02}), p);
    CHECK(e.b == doctest::Approx(-0.2).epsilon(1e-15));
    CHECK(e.se == doctest::Approx(0.04).epsilon(1e-15));
    CHECK(e.pval == doctest::Approx(5.733031437583e-07).epsilon(1e-10));  // 2 * pnorm(-5)
    const auto two = mrkit::mr_wald_ratio(data({1, 2}, {1, 2}, {1, 1}, {1, 1}), p);
    CHECK(std::isnan(two.b));
    CHECK(two.note == "the Wald ratio takes exactly one variant");
  }

  TEST_CASE("IVW with 2 instruments and equal SEs") {
    // bx = (1, 2), by = (2, 3), sy = 1: b = (2 + 6) / 5 = 1.6; residuals 0.4, -0.2: Q = 0.2 on 1 df;
    // fixed-effect se = 1 / sqrt(5); sigma = sqrt(0.2) < 1 so the floored random-effects se equals it;
    // the unfloored se = sigma / sqrt(5) = 0.2.
    mrkit::Params p;
    const auto d = data({1, 2}, {2, 3}, {0.1, 0.1}, {1, 1});
    const auto re = mrkit::mr_ivw(d, p);
    CHECK(re.b == doctest::Approx(1.6).epsilon(1e-15));
    CHECK(re.se == doctest::Approx(1 / std::sqrt(5.0)).epsilon(1e-15));
    CHECK(re.Q == doctest::Approx(0.2).epsilon(1e-14));
    CHECK(re.Q_df == 1);
    CHECK(mrkit::mr_ivw_fe(d, p).se == doctest::Approx(1 / std::sqrt(5.0)).epsilon(1e-15));
    CHECK(mrkit::mr_ivw_mre(d, p).se == doctest::Approx(0.2).epsilon(1e-14));
    CHECK(std::isnan(mrkit::mr_ivw(data({0.3}, {0.1}, {0.1}, {1}), p).b));
  }

  TEST_CASE("IVW with 3 instruments on an exact line and with all bx zero") {
    mrkit::Params p;
    // by = 0.5 bx exactly, sy = 1: b = 0.5, Q = 0, fixed se = 1 / sqrt(1 + 4 + 9).
    const auto e = mrkit::mr_ivw(data({1, 2, 3}, {0.5, 1, 1.5}, {1, 1, 1}, {1, 1, 1}), p);
    CHECK(e.b == 0.5);
    CHECK(e.Q == 0);
    CHECK(e.se == doctest::Approx(1 / std::sqrt(14.0)).epsilon(1e-15));  // was 0/0 = NaN before the fix
    CHECK(mrkit::mr_ivw_fe(data({1, 2, 3}, {0.5, 1, 1.5}, {1, 1, 1}, {1, 1, 1}), p).se ==
          doctest::Approx(1 / std::sqrt(14.0)).epsilon(1e-15));
    CHECK(mrkit::mr_ivw_mre(data({1, 2, 3}, {0.5, 1, 1.5}, {1, 1, 1}, {1, 1, 1}), p).se == 0);
    // MR-Egger on an exact line (y = 0.5 x, unit weights): se = 1 / sqrt(sum (x - 2)^2) = 1 / sqrt(2).
    const auto ex = mrkit::mr_egger_regression(data({1, 2, 3}, {0.5, 1, 1.5}, {1, 1, 1}, {1, 1, 1}), p);
    CHECK(ex.b == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(ex.se == doctest::Approx(1 / std::sqrt(2.0)).epsilon(1e-15));
    CHECK(ex.se_i == doctest::Approx(std::sqrt(1.0 / 3 + 2)).epsilon(1e-15));
    const auto z = mrkit::mr_ivw(data({0, 0, 0}, {0.5, 1, 1.5}, {1, 1, 1}, {1, 1, 1}), p);
    CHECK(std::isnan(z.b));
    CHECK(z.note == "all SNP-exposure effects are zero");
  }

  TEST_CASE("MR-Egger: 2 instruments are too few; 3 by hand; collinear bx") {
    mrkit::Params p;
    CHECK(mrkit::mr_egger_regression(data({1, 2}, {1, 2}, {1, 1}, {1, 1}), p).note ==
          "MR-Egger needs at least 3 variants");
    // x = (1, 2, 3), y = (1, 3, 2), unit weights: slope = 1/2, intercept = 1, RSS = 1.5 on 1 df,
    // sigma = sqrt(1.5) > 1 so no floor; se = sigma / sqrt(2), se_i = sigma sqrt(1/3 + 4/2).
    const auto e = mrkit::mr_egger_regression(data({1, 2, 3}, {1, 3, 2}, {1, 1, 1}, {1, 1, 1}), p);
    const double sigma = std::sqrt(1.5);
    CHECK(e.b == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(e.b_i == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(e.se == doctest::Approx(sigma / std::sqrt(2.0)).epsilon(1e-14));
    CHECK(e.se_i == doctest::Approx(sigma * std::sqrt(1.0 / 3 + 2)).epsilon(1e-14));
    CHECK(e.pval == doctest::Approx(2.0 / 3).epsilon(1e-12));  // t = 1/sqrt(3) on 1 df
    CHECK(e.pval_i == doctest::Approx(p_t1(1 / (sigma * std::sqrt(1.0 / 3 + 2)))).epsilon(1e-12));
    CHECK(e.Q == doctest::Approx(1.5).epsilon(1e-14));
    // Orientation: flipping the sign of one variant's bx and by gives the same fit.
    const auto f = mrkit::mr_egger_regression(data({1, -2, 3}, {1, -3, 2}, {1, 1, 1}, {1, 1, 1}), p);
    CHECK(f.b == doctest::Approx(e.b).epsilon(1e-14));
    const auto c = mrkit::mr_egger_regression(data({0.2, 0.2, 0.2}, {1, 3, 2}, {1, 1, 1}, {1, 1, 1}), p);
    CHECK(std::isnan(c.b));
    CHECK(c.note == "collinear SNP-exposure effects in MR-Egger");
  }

  TEST_CASE("weighted and simple median with 3 instruments; a zero bx; 2 instruments") {
    mrkit::Params p;
    p.nboot = 50;
    p.seed = 7;
    // Ratios 1, 2, 3 with equal weights: S = 1/6, 1/2, 5/6; interpolation gives exactly 2.
    const auto d = data({1, 1, 1}, {1, 2, 3}, {0.1, 0.1, 0.1}, {0.1, 0.1, 0.1});
    CHECK(mrkit::mr_simple_median(d, p).b == 2.0);
    // Second-order weights 1 / (sy^2 / bx^2 + by^2 sx^2 / bx^4) = 1 / (0.01 + 0.01 by^2) = 50, 20, 10:
    // S = 25/80, 60/80, 75/80; 1 + (0.5 - 0.3125) / (0.75 - 0.3125) = 10/7.
    CHECK(mrkit::mr_weighted_median(d, p).b == doctest::Approx(10.0 / 7).epsilon(1e-14));
    CHECK(mrkit::weighted_median({3, 1, 2}, {1, 1, 1}) == 2.0);
    // Weights 1, 1, 2 on sorted values 1, 2, 3: S = 1/8, 3/8, 3/4: 2 + (0.5 - 3/8) / (3/8) = 7/3.
    CHECK(mrkit::weighted_median({1, 2, 3}, {1, 1, 2}) == doctest::Approx(7.0 / 3).epsilon(1e-15));
    CHECK(mrkit::mr_weighted_median(data({1, 0, 1}, {1, 2, 3}, {1, 1, 1}, {1, 1, 1}), p).note ==
          "the weighted median: a SNP-exposure effect is zero, so its ratio estimate is undefined");
    CHECK(std::isnan(mrkit::mr_simple_median(data({1, 1}, {1, 2}, {1, 1}, {1, 1}), p).b));
  }

  TEST_CASE("multivariable IVW: orthogonal design by hand; collinear and saturated designs") {
    Eigen::MatrixXd X(4, 2);
    X << 1, 0, 0, 1, 1, 0, 0, 1;
    Eigen::VectorXd y(4), sy = Eigen::VectorXd::Ones(4);
    y << 1, 2, 3, 4;
    // b = (2, 3); residuals -1, -1, 1, 1: sigma^2 = 4 / 2, lm se = sigma / sqrt(2) = 1.
    const auto f = mrkit::mv_ivw_mr(X, y, sy, mrkit::MvModel::random, false, 0.05);
    CHECK(f.note.empty());
    CHECK(f.b(0) == doctest::Approx(2).epsilon(1e-14));
    CHECK(f.b(1) == doctest::Approx(3).epsilon(1e-14));
    CHECK(f.se(0) == doctest::Approx(1).epsilon(1e-14));
    CHECK(f.Q == doctest::Approx(4).epsilon(1e-14));
    Eigen::MatrixXd C(4, 2);
    C << 1, 2, 2, 4, 3, 6, 4, 8;
    const auto c = mrkit::mv_ivw_mr(C, y, sy, mrkit::MvModel::random, false, 0.05);
    CHECK(c.note == "exposure effects are collinear: coefficient not estimable");
    CHECK(std::isnan(c.b(0)));
    const auto s = mrkit::mv_ivw_mr(X.topRows(2), y.head(2), sy.head(2), mrkit::MvModel::random, false, 0.05);
    CHECK(s.note == "no residual degrees of freedom: need more variants than parameters");
  }
}
