// Weighted Gaussian kernel density on R's grid, as stats::density(x, weights = w, bw = h)
// computes it with its defaults (n = 512, cut = 3), for the mode-based estimators
// (methods.md 4.7). Steps, as in R < 4.4:
//   1. output grid: n points on [from, to] = [min x - 3h, max x + 3h];
//   2. linear binning of the weights onto n points over [lo, up] = [from - 4h, to + 4h],
//      padded with zeros to 2n;
//   3. circular convolution (FFT of size 2n) with the Gaussian kernel sampled on R's kernel
//      grid kords = seq(0, 2 (up - lo), length.out = 2n), second half mirrored negative;
//      divided by 2n and clamped at 0;
//   4. linear interpolation from seq(lo, up, length.out = n) to the output grid.
// The R >= 4.4 grid (density(old.coords = FALSE)) is not implemented.
#pragma once
#include "config.hpp"

#include <cmath>
#include <complex>
#include <stdexcept>
#include <vector>

namespace mrkit {

// In-place iterative radix-2 complex FFT of a fixed power-of-two size, with precomputed
// bit-reversal permutation and twiddle factors. forward: X_k = sum_j x_j e^{-2 pi i jk/N};
// inverse: the same with e^{+...}, not normalised (as R's fft(inverse = TRUE)).
class Fft {
 public:
  explicit Fft(int n) : n_(n), rev_(n) {
    if (n < 4 || (n & (n - 1)) != 0) throw std::invalid_argument("FFT size must be a power of two >= 4");
    int bits = 0;
    while ((1 << bits) < n) ++bits;
    for (int i = 0; i < n; ++i) {
      int r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      rev_[i] = r;
    }
    // Twiddles stage by stage (stage with half-length m stores e^{-2 pi i k / (2m)},
    // k < m, at offset m), so the inner loop reads them contiguously.
    const double two_pi = 6.283185307179586476925286766559;
    wr_.assign(n, 0.0);
    wi_.assign(n, 0.0);
    for (int m = 1; m < n; m <<= 1)
      for (int k = 0; k < m; ++k) {
        wr_[m + k] = std::cos(two_pi * k / (2 * m));
        wi_[m + k] = -std::sin(two_pi * k / (2 * m));
      }
  }
  int size() const { return n_; }

  void transform(std::complex<double>* a, bool inverse) const {
    double* d = reinterpret_cast<double*>(a);
    for (int i = 0; i < n_; ++i)
      if (i < rev_[i]) std::swap(a[i], a[rev_[i]]);
    // Stage with m = 1: trivial twiddle.
    for (int i = 0; i < 2 * n_; i += 4) {
      const double ur = d[i], ui = d[i + 1], vr = d[i + 2], vi = d[i + 3];
      d[i] = ur + vr; d[i + 1] = ui + vi; d[i + 2] = ur - vr; d[i + 3] = ui - vi;
    }
    const double sgn = inverse ? -1.0 : 1.0;
    for (int m = 2; m < n_; m <<= 1) {
      const double* wr = wr_.data() + m;
      const double* wi = wi_.data() + m;
      for (int i = 0; i < n_; i += 2 * m) {
        double* p = d + 2 * i;
        double* q = d + 2 * (i + m);
        for (int k = 0; k < m; ++k) {
          const double c = wr[k], s = sgn * wi[k];
          const double xr = q[2 * k], xi = q[2 * k + 1];
          const double vr = xr * c - xi * s, vi = xr * s + xi * c;
          const double ur = p[2 * k], ui = p[2 * k + 1];
          p[2 * k] = ur + vr; p[2 * k + 1] = ui + vi;
          q[2 * k] = ur - vr; q[2 * k + 1] = ui - vi;
        }
      }
    }
  }

 private:
  int n_;
  std::vector<int> rev_;
  std::vector<double> wr_, wi_;
};

namespace detail {

// R's dnorm(x, 0, sigma) for the Gaussian kernel, including its accurate evaluation
// for |x/sigma| >= 5 (x split into a part exact to 2^-16 and a remainder).
inline double dnorm0(double x, double sigma) {
  const double inv_sqrt_2pi = 0.398942280401432677939946059934;
  x = std::fabs(x / sigma);
  if (x < 5) return inv_sqrt_2pi * std::exp(-0.5 * x * x) / sigma;
  if (x > 38.56804181549334) return 0.0;
  const double x1 = std::ldexp(std::nearbyint(std::ldexp(x, 16)), -16);
  const double x2 = x - x1;
  return inv_sqrt_2pi / sigma * (std::exp(-0.5 * x1 * x1) * std::exp((-0.5 * x2 - x1) * x2));
}

// R's seq.int(from, to, length.out = n) (R 4.2): from + i * (to - from) / (n - 1).
inline double seq_at(double from, double to, int n, int i) {
  const double by = (to - from) / static_cast<double>(n - 1);
  return from + static_cast<double>(i) * by;
}

}  // namespace detail

// Reusable workspace for KDE evaluations (one per thread); no allocation per call.
class KdeWorkspace {
 public:
  static constexpr int n = 512;  // R's default number of output points
  KdeWorkspace() : fft_(2 * n), half_fft_(n), buf_(2 * n), dens_(n), xords_(n), tw_re_(n), tw_im_(n) {
    const double two_pi = 6.283185307179586476925286766559;
    for (int f = 0; f < n; ++f) {
      tw_re_[f] = std::cos(two_pi * f / (2 * n));
      tw_im_[f] = std::sin(two_pi * f / (2 * n));
    }
  }

  // Index (0-based) of the first output grid point with maximal density, and that
  // point's x (stats::density(x, weights = w, bw = h)$x[which.max(...$y)]).
  // `w` should sum to 1 (as R's mode estimators pass them); x must be finite.
  double mode(const double* x, const double* w, int len, double h, int grid_version = 0) {
    compute(x, w, len, h, grid_version);
    double best = -1;
    int best_k = 0, i = 0;
    for (int k = 0; k < n; ++k) {
      const double v = detail::seq_at(from_, to_, n, k);
      while (i < n - 2 && xords_[i + 1] <= v) ++i;  // output points increase with k
      const double d = interpolate(i, v);
      if (d > best) { best = d; best_k = k; }
    }
    return detail::seq_at(from_, to_, n, best_k);
  }

  // Full density on the output grid (for tests against stats::density).
  void density(const double* x, const double* w, int len, double h, std::vector<double>& gx,
               std::vector<double>& gy, int grid_version = 0) {
    compute(x, w, len, h, grid_version);
    gx.resize(n); gy.resize(n);
    for (int k = 0; k < n; ++k) { gx[k] = detail::seq_at(from_, to_, n, k); gy[k] = out_y(k); }
  }

 private:
  void compute(const double* x, const double* w, int len, double h, int grid_version) {
    if (grid_version != 0)
      throw std::invalid_argument(
          "the density grid of R >= 4.4 (density(old.coords = FALSE)) is not implemented; "
          "mode-based estimates reproduce R < 4.4");
    if (len < 1) throw std::invalid_argument("density needs at least one point");
    if (!(h > 0) || !std::isfinite(h)) throw std::invalid_argument("bandwidth must be positive and finite");
    double xmin = x[0], xmax = x[0];
    for (int i = 1; i < len; ++i) { xmin = std::min(xmin, x[i]); xmax = std::max(xmax, x[i]); }
    from_ = xmin - 3 * h;
    to_ = xmax + 3 * h;
    lo_ = from_ - 4 * h;
    up_ = to_ + 4 * h;
    const int n2 = 2 * n;
    // Linear binning (R's BinDist) into the real parts; the kernel into the imaginary parts,
    // so one complex FFT transforms both real sequences.
    for (int i = 0; i < n2; ++i) buf_[i] = 0.0;
    const double xdelta = (up_ - lo_) / (n - 1);
    const int ixmax = n - 2;
    std::vector<std::complex<double>>& b = buf_;
    for (int i = 0; i < len; ++i) {
      const double xpos = (x[i] - lo_) / xdelta;
      const double fl = std::floor(xpos);
      const int ix = static_cast<int>(fl);
      const double fx = xpos - ix;
      if (0 <= ix && ix <= ixmax) {
        b[ix].real(b[ix].real() + w[i] * (1 - fx));
        b[ix + 1].real(b[ix + 1].real() + w[i] * fx);
      } else if (ix == -1) {
        b[0].real(b[0].real() + w[i] * fx);
      } else if (ix == ixmax + 1) {
        b[ix].real(b[ix].real() + w[i] * (1 - fx));
      }
    }
    // Kernel on kords: k[j] = dnorm(seq(0, 2(up - lo), length.out = 2n)[j]) for j <= n,
    // k[j] = k[2n - j] for j > n.
    const double kto = 2 * (up_ - lo_);
    for (int j = 0; j <= n; ++j) {
      const double kv = detail::dnorm0(detail::seq_at(0.0, kto, n2, j), h);
      b[j].imag(kv);
      if (kv == 0.0) break;  // the kernel is 0 from here on (buffer already zeroed)
    }
    for (int j = n + 1; j < n2; ++j) b[j].imag(b[n2 - j].imag());
    fft_.transform(b.data(), false);
    // Split the two transforms: Y_f = (Z_f + conj Z_{-f}) / 2, K_f = (Z_f - conj Z_{-f}) / (2i).
    // Multiply Y_f by conj(K_f) (R: fft(y) * Conj(fft(kords))); K is real as k is even,
    // but use the general form to follow R.
    std::vector<std::complex<double>>& p = prod_;
    p.resize(n2);
    for (int f = 0; f < n2; ++f) {
      const std::complex<double> zf = b[f], zm = b[(n2 - f) & (n2 - 1)];
      // zc = conj(zm); Y = (zf + zc) / 2; K = (zf - zc) / (2i); product Y * conj(K).
      const double yr = 0.5 * (zf.real() + zm.real()), yi = 0.5 * (zf.imag() - zm.imag());
      const double kr = 0.5 * (zf.imag() + zm.imag()), ki = -0.5 * (zf.real() - zm.real());
      p[f] = std::complex<double>(yr * kr + yi * ki, yi * kr - yr * ki);
    }
    // Inverse transform of length 2n with a real result, through one of length n:
    // x_{2m} = IFFT_n(A)_m and x_{2m+1} = IFFT_n(B)_m with A_f = P_f + P_{f+n},
    // B_f = (P_f - P_{f+n}) e^{+2 pi i f / 2n}; both real, so IFFT_n(A + iB) carries x_{2m}
    // in its real and x_{2m+1} in its imaginary parts.
    std::vector<std::complex<double>>& h2 = half_;
    h2.resize(n);
    for (int f = 0; f < n; ++f) {
      const std::complex<double> a = p[f], c = p[f + n];
      const double dr = a.real() - c.real(), di = a.imag() - c.imag();
      const double br = dr * tw_re_[f] - di * tw_im_[f], bi = dr * tw_im_[f] + di * tw_re_[f];
      h2[f] = std::complex<double>(a.real() + c.real() - bi, a.imag() + c.imag() + br);
    }
    half_fft_.transform(h2.data(), true);
    for (int m = 0; m < n / 2; ++m) {
      const double v0 = h2[m].real() / n2, v1 = h2[m].imag() / n2;
      dens_[2 * m] = v0 > 0 ? v0 : 0.0;
      dens_[2 * m + 1] = v1 > 0 ? v1 : 0.0;
    }
    for (int i = 0; i < n; ++i) xords_[i] = detail::seq_at(lo_, up_, n, i);
  }

  // R's approx(xords, dens, xout)$y at output point k (linear, bisection semantics).
  double out_y(int k) const {
    const double v = detail::seq_at(from_, to_, n, k);
    const double dx = (up_ - lo_) / (n - 1);
    int i = static_cast<int>(std::floor((v - lo_) / dx));
    if (i < 0) i = 0;
    if (i > n - 2) i = n - 2;
    while (i > 0 && xords_[i] > v) --i;
    while (i < n - 2 && xords_[i + 1] <= v) ++i;
    return interpolate(i, v);
  }
  // Linear interpolation in [xords[i], xords[i + 1]] at v, as R's approx1().
  double interpolate(int i, double v) const {
    const int j = i + 1;
    if (v == xords_[j]) return dens_[j];
    if (v == xords_[i]) return dens_[i];
    return dens_[i] + (dens_[j] - dens_[i]) * ((v - xords_[i]) / (xords_[j] - xords_[i]));
  }

  Fft fft_, half_fft_;
  std::vector<std::complex<double>> buf_, prod_, half_;
  std::vector<double> dens_, xords_, tw_re_, tw_im_;
  double from_ = 0, to_ = 0, lo_ = 0, up_ = 0;
};

}  // namespace mrkit
