// Weighted Gaussian kernel density on R's grid, as stats::density(x, weights = w, bw = h)
// computes it with its defaults (n = 512, cut = 3), for the mode-based estimators
// (methods.md 4.7). R (< 4.4) does:
//   1. output grid: n points on [from, to] = [min x - 3h, max x + 3h];
//   2. linear binning of the weights onto n points over [lo, up] = [from - 4h, to + 4h]
//      (BinDist), padded with n zeros;
//   3. circular convolution of length 2n, by FFT, with the Gaussian kernel sampled on
//      kords = seq(0, 2 (up - lo), length.out = 2n) (second half mirrored negative),
//      divided by 2n and clamped at 0;
//   4. linear interpolation (approx) from seq(lo, up, length.out = n) to the output grid.
// Here steps 1, 2 and 4 are R's arithmetic; step 3 is the same circular convolution,
// computed with our own radix-2 FFT of length n (real-input and real-output transforms
// of length 2n folded into complex ones of length n), and with the kernel's DFT (real,
// as the sampled kernel is even) evaluated in closed form by Poisson summation instead
// of by a third FFT. Results agree with R to rounding (about 1e-16 of the peak).
// R 4.4.0 changed step 3 (density(old.coords = FALSE), R's PR#18337): the kernel is sampled
// at the spacing of the bins, kords = j (up - lo) / (n - 1), instead of 2 (up - lo) / (2n - 1),
// which removes the excess mass of about 1 / (2n - 2) that R's own example for density()
// documents. grid_version = 1 selects that spacing; everything else is unchanged. (R >= 4.4
// is not available on the machine mrkit is developed on, so this grid is checked by its
// defining property, unit mass, rather than against R itself.)
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/numerics/dot.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <utility>
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

// R's seq.int(from, to, length.out = n) (R 4.2): from + i * (to - from) / (n - 1).
inline double seq_at(double from, double to, int n, int i) {
  const double by = (to - from) / static_cast<double>(n - 1);
  return from + static_cast<double>(i) * by;
}

// R's grid for density(x, bw = h) with n = 512 and cut = 3: output points over [from, to] =
// [min x - 3h, max x + 3h], bins over [lo, up] = [from - 4h, to + 4h]; the arguments checked.
struct DensityGrid {
  double from, to, lo, up;
};
inline DensityGrid density_grid(const double* x, int len, double h, int grid_version) {
  if (grid_version != 0 && grid_version != 1)
    throw std::invalid_argument("density grid version must be 0 (R < 4.4) or 1 (R >= 4.4)");
  if (len < 1) throw std::invalid_argument("density needs at least one point");
  if (!(h > 0) || !std::isfinite(h)) throw std::invalid_argument("bandwidth must be positive and finite");
  double xmin = x[0], xmax = x[0];
  for (int i = 1; i < len; ++i) { xmin = std::min(xmin, x[i]); xmax = std::max(xmax, x[i]); }
  DensityGrid g;
  g.from = xmin - 3 * h;
  g.to = xmax + 3 * h;
  g.lo = g.from - 4 * h;
  g.up = g.to + 4 * h;
  return g;
}

// R's BinDist for one point at bin position ix + fx (0 <= fx < 1) with weight w, onto n bins.
inline void bin_point(double* y, int n, int ix, double fx, double w) {
  const int ixmax = n - 2;
  if (0 <= ix && ix <= ixmax) {
    y[ix] += w * (1 - fx);
    y[ix + 1] += w * fx;
  } else if (ix == -1) {
    y[0] += w * fx;
  } else if (ix == ixmax + 1) {
    y[ix] += w * (1 - fx);
  }
}

}  // namespace detail

// Reusable workspace for KDE evaluations (one per thread); no allocation per call.
class KdeWorkspace {
 public:
  static constexpr int n = 512;  // R's default number of output points
  KdeWorkspace()
      : half_fft_(n), buf_(n), half_(n), dens_(n), xords_(n), tw_re_(n), tw_im_(n), ybin_(n), kspec_(n + 1) {
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
    const double by = (to_ - from_) / static_cast<double>(n - 1);
    for (int k = 0; k < n; ++k) {
      const double v = from_ + static_cast<double>(k) * by;  // = seq_at(from, to, n, k)
      while (i < n - 2 && xords_[i + 1] <= v) ++i;  // output points increase with k
      // The interpolated value cannot exceed its end points (up to rounding, hence the
      // margin): skip points that cannot beat the current (first) maximum.
      if (std::max(dens_[i], dens_[i + 1]) * (1 + 1e-12) < best) continue;
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
    const detail::DensityGrid grid = detail::density_grid(x, len, h, grid_version);
    from_ = grid.from; to_ = grid.to; lo_ = grid.lo; up_ = grid.up;
    const int n2 = 2 * n;
    // Linear binning (R's BinDist) onto n points over [lo, up]; R pads it with n zeros.
    std::vector<double>& y = ybin_;
    std::fill(y.begin(), y.end(), 0.0);
    const double xdelta = (up_ - lo_) / (n - 1);
    for (int i = 0; i < len; ++i) {
      const double xpos = (x[i] - lo_) / xdelta;
      const int ix = static_cast<int>(std::floor(xpos));
      detail::bin_point(y.data(), n, ix, xpos - ix, w[i]);
    }
    // Y = FFT_2n(y) of the real, zero-padded sequence through one complex FFT of length n:
    // u_m = y_2m + i y_2m+1, U = FFT_n(u), E_f = (U_f + conj U_{n-f}) / 2 and
    // O_f = (U_f - conj U_{n-f}) / (2i) are the transforms of the even and odd samples, and
    // Y_f = E_f + e^{-2 pi i f / 2n} O_f, Y_{f+n} = E_f - e^{-2 pi i f / 2n} O_f.
    std::vector<std::complex<double>>& u = buf_;
    for (int m = 0; m < n / 2; ++m) u[m] = std::complex<double>(y[2 * m], y[2 * m + 1]);
    for (int m = n / 2; m < n; ++m) u[m] = 0.0;
    half_fft_.transform(u.data(), false);
    // The kernel R convolves with is dnorm(kords, sd = h) on kords = j * dk, dk = 2 (up - lo)
    // / (2n - 1), for j = -(n - 1), ..., n (seq(0, 2 (up - lo), length.out = 2n) with its
    // second half mirrored). It is real and even, so its DFT is real, and by Poisson
    // summation it equals K_f = (1 / dk) sum_m exp(-2 pi^2 (h / dk)^2 (f / 2n - m)^2) up to
    // the kernel's mass beyond |j| = n (below dnorm(14 h), as up - lo >= 14 h). Terms below
    // e^-50 of the peak are dropped: they are far below the rounding of R's own FFT.
    const double dk = grid_version == 1 ? (up_ - lo_) / (n - 1) : 2 * (up_ - lo_) / (n2 - 1);
    const double sig = h / dk;
    const double c = 19.739208802178717 * sig * sig;  // 2 pi^2 sigma^2
    const double reach = std::sqrt(50.0 / c);
    std::vector<double>& K = kspec_;
    const double inv_n2 = 1.0 / n2, inv_dk = 1.0 / dk;
    // The same spectrum as a direct sum over the kernel's taps, K_f = sum_j dnorm(j dk, h)
    // cos(2 pi f j / 2n), dropping taps below e^-50 of the peak (|j| > 10 sigma). When the
    // bandwidth is small against the grid step (one variant's ratio far from the others
    // stretches the grid) the taps are few while the Poisson sum needs ~3 / sigma terms per
    // frequency: take the cheaper of the two.
    const double tap_reach = 10.0 * sig;
    if (tap_reach < 2 * reach) {
      const long J = static_cast<long>(std::floor(tap_reach));
      const double peak = 1.0 / (h * 2.5066282746310002);  // dnorm(0, sd = h)
      std::vector<double>& taps = taps_;
      taps.assign(static_cast<std::size_t>(J) + 1, 0.0);
      for (long j = 1; j <= J; ++j) {
        const double z = static_cast<double>(j) / sig;
        taps[j] = 2 * peak * std::exp(-0.5 * z * z);
      }
      for (int f = 0; f <= n; ++f) {
        double sum = peak;
        const double w = 6.283185307179586 * f * inv_n2;
        for (long j = 1; j <= J; ++j) sum += taps[j] * std::cos(w * static_cast<double>(j));
        K[f] = sum;
      }
    } else if (reach < 0.5) {
      // Only the terms m = 0 (f < reach 2n) and m = 1 (f > (1 - reach) 2n) can matter.
      std::fill(K.begin(), K.end(), 0.0);
      const int f0 = std::min(n, static_cast<int>(reach * n2) + 1);
      for (int f = 0; f <= f0; ++f) {
        const double nu = f * inv_n2;
        if (nu < reach) K[f] += std::exp(-c * nu * nu) * inv_dk;
      }
      for (int f = std::max(0, static_cast<int>((1 - reach) * n2) - 1); f <= n; ++f) {
        const double nu = f * inv_n2;
        if (1 - nu < reach) K[f] += std::exp(-c * (1 - nu) * (1 - nu)) * inv_dk;
      }
    } else {
      for (int f = 0; f <= n; ++f) {
        const double nu = f * inv_n2;
        double sum = 0;
        for (long m = static_cast<long>(std::ceil(nu - reach)); m <= static_cast<long>(std::floor(nu + reach)); ++m) {
          const double d = nu - static_cast<double>(m);
          sum += std::exp(-c * d * d);
        }
        K[f] = sum * inv_dk;
      }
    }
    // Product P = Y K (K real), and the inverse transform of length 2n with a real result
    // through one of length n: x_2m = IFFT_n(A)_m and x_2m+1 = IFFT_n(B)_m with
    // A_f = P_f + P_{f+n}, B_f = (P_f - P_{f+n}) e^{+2 pi i f / 2n}; both are real, so
    // IFFT_n(A + iB) carries x_2m in its real and x_2m+1 in its imaginary parts.
    std::complex<double>* h2 = half_.data();
    const std::complex<double>* U = u.data();
    const double* twr = tw_re_.data();
    const double* twi = tw_im_.data();
    for (int f = 0; f < n; ++f) {
      const std::complex<double> uf = U[f], um = U[(n - f) & (n - 1)];
      const double er = 0.5 * (uf.real() + um.real()), ei = 0.5 * (uf.imag() - um.imag());
      const double orr = 0.5 * (uf.imag() + um.imag()), oi = -0.5 * (uf.real() - um.real());
      // T = e^{-2 pi i f / 2n} O
      const double tr = orr * twr[f] + oi * twi[f], ti = oi * twr[f] - orr * twi[f];
      const double k0 = K[f], k1 = K[n - f];  // K_{f+n} = K_{n-f} (K is even)
      const double par = (er + tr) * k0, pai = (ei + ti) * k0;   // P_f
      const double pbr = (er - tr) * k1, pbi = (ei - ti) * k1;   // P_{f+n}
      const double dr = par - pbr, di = pai - pbi;
      const double br = dr * twr[f] - di * twi[f], bi = dr * twi[f] + di * twr[f];
      h2[f] = std::complex<double>(par + pbr - bi, pai + pbi + br);
    }
    half_fft_.transform(h2, true);
    for (int m = 0; m < n / 2; ++m) {
      // R divides by length(y) = 2n, a power of two: multiplying by its inverse is exact.
      const double v0 = h2[m].real() * inv_n2, v1 = h2[m].imag() * inv_n2;
      dens_[2 * m] = v0 > 0 ? v0 : 0.0;
      dens_[2 * m + 1] = v1 > 0 ? v1 : 0.0;
    }
    const double xby = (up_ - lo_) / static_cast<double>(n - 1);
    for (int i = 0; i < n; ++i) xords_[i] = lo_ + static_cast<double>(i) * xby;  // seq_at(lo, up, n, i)
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

  Fft half_fft_;
  std::vector<std::complex<double>> buf_, half_;
  std::vector<double> dens_, xords_, tw_re_, tw_im_, ybin_, kspec_, taps_;
  double from_ = 0, to_ = 0, lo_ = 0, up_ = 0;
};

// The same argmax as KdeWorkspace::mode(), for bootstrap replicates, without the FFT: the
// density at a bin-grid point k is the direct sum D_k = sum_b y_b K_|k-b| of the binned
// weights y and the kernel taps K_d = dnorm(d dk, sd = h) (the circular convolution of
// length 2n never wraps, as both indices lie in [0, n)), and only the bins near the top
// need it. D is a sum of Gaussians of SD sigma = h / dk bins with positive weights, so
// D'' >= -D / sigma^2 >= -max D / sigma^2: between two summed bins L apart, D cannot rise
// above the higher of the two by more than L^2 / (8 sigma^2) max D. A branch and bound on
// that: D is summed at every t-th bin (t ~ sigma), and each interval between summed bins
// whose bound reaches the highest sum (less the drop over one bin, max D / (2 sigma^2)) is
// halved, until none is left. Every bin not summed is then provably lower than the output
// point next to the peak, and the output grid is searched where both bins of an output
// point are summed, as KdeWorkspace::mode() searches all of it. With a kernel narrower than
// 2 bins every bin is summed. The result is the FFT's grid point except when two grid
// points' densities tie to within rounding (about 1e-16 of the peak; the sums are added
// in another order). set_points() prepares the grid and the taps once for several weight
// vectors (the simple and weighted modes of one replicate share the points and the bandwidth).
class KdeArgmax {
 public:
  static constexpr int n = KdeWorkspace::n;

  void set_points(const double* x, int len, double h, int grid_version = 0) {
    const detail::DensityGrid grid = detail::density_grid(x, len, h, grid_version);
    from_ = grid.from; to_ = grid.to; lo_ = grid.lo; up_ = grid.up;
    xdelta_ = (up_ - lo_) / (n - 1);
    // Bin positions of the points, shared by every weight vector (as R's BinDist).
    len_ = len;
    ix_.resize(len);
    fx_.resize(len);
    for (int i = 0; i < len; ++i) {
      const double xpos = (x[i] - lo_) / xdelta_;
      // floor(xpos) without a libm call on the grid (where xpos lies in [0, n - 1]).
      int ix = static_cast<int>(xpos);
      ix -= xpos < ix;
      if (!(xpos >= -1 && xpos <= n)) ix = static_cast<int>(std::floor(xpos));
      ix_[i] = ix;
      fx_[i] = xpos - ix;
    }
    // Exact taps to 10 SDs (e^-50 of the peak, as the FFT's spectrum), in a symmetric
    // table taps_[W + d] = K_|d| so that each D_k is one contiguous dot product.
    const double dk = grid_version == 1 ? (up_ - lo_) / (n - 1) : 2 * (up_ - lo_) / (2 * n - 1);
    sigma_ = h / dk;
    W_ = std::min(n - 1, static_cast<int>(std::floor(10.0 * sigma_)));
    taps_.resize(2 * W_ + 1);  // every tap is set below
    // exp(-c d^2 / 2) (c = (dk / h)^2) by the recurrence K_{d+1} = K_d g_d, g_{d+1} = g_d
    // e^-c, restarted from exp() every 16 taps (relative error below 1e-14).
    const double peak = 1.0 / (h * 2.5066282746310002);
    const double c = (dk / h) * (dk / h), step = std::exp(-c);
    double kd = 0, g = 0;
    for (int d = 0; d <= W_; ++d) {
      if (d % 16 == 0) {
        kd = peak * std::exp(-0.5 * c * d * d);
        g = std::exp(-0.5 * c * (2 * d + 1));
      } else {
        kd *= g;
        g *= step;
      }
      taps_[W_ + d] = taps_[W_ - d] = kd;
    }
    // First sampling step (every bin when the kernel is narrower than 2 bins).
    t_ = sigma_ < 2 ? 1 : static_cast<int>(sigma_);
    // The bins that the points' weights fall on, in order (at most 2 per point).
    // (Marked on a grid of n flags and collected in order: no sort.)
    nz_.clear();
    marks_.assign(n + 1, 0);
    int lo_bin = n, hi_bin = -1;
    for (int i = 0; i < len; ++i) {
      const int a = std::max(ix_[i], 0), b = std::min(ix_[i] + 1, n - 1);
      if (a > b) continue;  // off the grid
      marks_[a] = marks_[b] = 1;
      lo_bin = std::min(lo_bin, a);
      hi_bin = std::max(hi_bin, b);
    }
    if (hi_bin >= lo_bin) {  // without a branch per bin (the marks are unpredictable)
      nz_.resize(hi_bin - lo_bin + 1);
      std::size_t m = 0;
      for (int k = lo_bin; k <= hi_bin; ++k) {
        nz_[m] = k;
        m += marks_[k];
      }
      nz_.resize(m);
    }
    // Bins that the output grid [from, to] touches.
    kfrom_ = std::max(0, static_cast<int>(std::floor((from_ - lo_) / xdelta_)) - 1);
    kto_ = std::min(n - 1, static_cast<int>(std::ceil((to_ - lo_) / xdelta_)) + 1);
  }

  // stats::density(x, weights = w, bw = h)$x[which.max(...$y)] for the points of set_points().
  double mode(const double* w) {
    // Linear binning, as KdeWorkspace (and R's BinDist).
    if (static_cast<int>(y_.size()) != n) { y_.assign(n, 0.0); stamp_.assign(n, 0); dens_.assign(n, 0.0); }
    for (int b : dirty_) y_[b] = 0.0;  // the previous call's bins
    dirty_ = nz_;
    if (++generation_ == 0) { std::fill(stamp_.begin(), stamp_.end(), 0); generation_ = 1; }
    exact_runs_.clear();
    for (int i = 0; i < len_; ++i) detail::bin_point(y_.data(), n, ix_[i], fx_[i], w[i]);
    nzy_.resize(nz_.size());
    for (std::size_t i = 0; i < nz_.size(); ++i) nzy_[i] = y_[nz_[i]];
    if (nz_.empty()) return from_;
    bmin_ = nz_.front(); bmax_ = nz_.back();
    // Sums over the listed bins when they are few against the kernel's reach, else over
    // the whole window (a contiguous dot product).
    sparse_ = static_cast<int>(nz_.size()) * 3 < std::min(2 * W_ + 1, bmax_ - bmin_ + 1);
    double total = 0;
    for (double v : nzy_) total += v;
    if (!(total > 0)) return from_;  // no weight: every point ties at 0
    // Every t-th bin, and the last one.
    double smax = 0;
    for (int k = kfrom_; k <= kto_; k += t_) smax = std::max(smax, at(k));
    smax = std::max(smax, at(kto_));
    if (t_ == 1) {
      exact_runs_.emplace_back(kfrom_, kto_);
    } else {
      const double inv8s2 = 1 / (8 * sigma_ * sigma_), drop = 1 / (2 * sigma_ * sigma_);
      const double dmax = smax / (1 - t_ * t_ * inv8s2);  // max D <= this (every bin is within t / 2 of a sample)
      double threshold = smax * (1 - drop - 1e-12);
      open_intervals_.clear();
      for (int a = kfrom_; a < kto_; a += t_) {
        const int z = std::min(a + t_, kto_);
        if (z - a >= 2) open_intervals_.emplace_back(a, z);
        else exact_runs_.emplace_back(a, z);
      }
      while (!open_intervals_.empty()) {
        const auto iv = open_intervals_.back();
        open_intervals_.pop_back();
        const int a = iv.first, z = iv.second, len = z - a;
        if (std::max(dens_[a], dens_[z]) + len * len * inv8s2 * dmax < threshold) continue;
        const int m = a + len / 2;
        const double dm = at(m);
        if (dm > smax) { smax = dm; threshold = smax * (1 - drop - 1e-12); }
        if (m - a >= 2) open_intervals_.emplace_back(a, m);
        else exact_runs_.emplace_back(a, m);
        if (z - m >= 2) open_intervals_.emplace_back(m, z);
        else exact_runs_.emplace_back(m, z);
      }
    }
    // Search the output points whose two bins both hold exact densities (the runs, in any
    // order: a tie goes to the first output point, as which.max() gives it).
    const double by = (to_ - from_) / static_cast<double>(n - 1);
    const double xby = (up_ - lo_) / static_cast<double>(n - 1);
    double best = -1;
    int best_k = -1;
    for (const auto& run : exact_runs_) {
      // Bins [k, e] are exact: output points v with xords[k] <= v <= xords[e].
      const int k = run.first, e = run.second;
      const double va = lo_ + static_cast<double>(k) * xby, vb = lo_ + static_cast<double>(e) * xby;
      int q = std::max(0, static_cast<int>(std::floor((va - from_) / by)) - 1);
      const int qend = std::min(n - 1, static_cast<int>(std::ceil((vb - from_) / by)) + 1);
      int i = std::max(k - 1, 0);
      for (; q <= qend; ++q) {
        const double v = from_ + static_cast<double>(q) * by;
        // The bin interval of v, as KdeWorkspace::mode() finds it (output points increase).
        while (i > 0 && lo_ + static_cast<double>(i) * xby > v) --i;
        while (i < n - 2 && lo_ + static_cast<double>(i + 1) * xby <= v) ++i;
        if (i < k) continue;
        if (i + 1 > e) break;
        const double xi = lo_ + static_cast<double>(i) * xby, xj = lo_ + static_cast<double>(i + 1) * xby;
        double d;
        if (v == xj) d = dens_[i + 1];
        else if (v == xi) d = dens_[i];
        else d = dens_[i] + (dens_[i + 1] - dens_[i]) * ((v - xi) / (xj - xi));
        if (d > best || (d == best && q < best_k)) { best = d; best_k = q; }
      }
    }
    return detail::seq_at(from_, to_, n, best_k);
  }

 private:
  // D_k, computed once per weight vector.
  double at(int k) {
    if (stamp_[k] != generation_) {
      dens_[k] = exact(k);
      stamp_[k] = generation_;
    }
    return dens_[k];
  }
  // D_k by a direct sum over the bins within W of k.
  double exact(int k) const {
    if (sparse_) {
      const double* tt = taps_.data() + W_ - k;  // tt[b] = K_|k-b| for |k - b| <= W
      double s0 = 0, s1 = 0;
      const std::size_t m = nz_.size();
      std::size_t i = 0;
      if (k - bmin_ <= W_ && bmax_ - k <= W_) {  // every listed bin within reach: the same sums, unchecked
        for (; i + 1 < m; i += 2) {
          s0 += nzy_[i] * tt[nz_[i]];
          s1 += nzy_[i + 1] * tt[nz_[i + 1]];
        }
        if (i < m) s0 += nzy_[i] * tt[nz_[i]];
        return s0 + s1;
      }
      for (; i + 1 < m; i += 2) {
        const int b0 = nz_[i], b1 = nz_[i + 1];
        if (std::abs(b0 - k) <= W_) s0 += nzy_[i] * tt[b0];
        if (std::abs(b1 - k) <= W_) s1 += nzy_[i + 1] * tt[b1];
      }
      if (i < m && std::abs(nz_[i] - k) <= W_) s0 += nzy_[i] * tt[nz_[i]];
      return s0 + s1;
    }
    const int a = std::max(bmin_, k - W_), z = std::min(bmax_, k + W_);
    return dot8(y_.data() + a, taps_.data() + (W_ + a - k), z - a + 1);
  }

  int len_ = 0, W_ = 0, t_ = 1, kfrom_ = 0, kto_ = 0, bmin_ = 0, bmax_ = 0, generation_ = 0;
  bool sparse_ = false;
  double from_ = 0, to_ = 0, lo_ = 0, up_ = 0, xdelta_ = 1, sigma_ = 1;
  std::vector<int> ix_, stamp_, nz_, dirty_;
  std::vector<char> marks_;
  // Intervals of bins still to bound, and runs [k, e] of bins all summed (with a sampling
  // step t > 1, the intervals of one bin that the halving leaves).
  std::vector<std::pair<int, int>> open_intervals_, exact_runs_;
  std::vector<double> fx_, taps_, y_, dens_, nzy_;
};

}  // namespace mrkit
