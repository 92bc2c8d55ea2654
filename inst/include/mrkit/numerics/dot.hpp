// Dot product sum_j y_j t_j in a fixed order of operations: eight partial sums (j mod 8 for
// the leading multiple of eight terms, the remainder added to the first), combined as
// ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7)). Every build computes exactly these
// roundings; on x86-64 processors with AVX2 the same code is run with four-wide registers
// (chosen once at run time), which changes the speed and not one bit of the result: AVX2
// without FMA has no fused multiply-add, so each product is rounded before it is added, as
// in the two-wide SSE2 code every x86-64 build has.
#pragma once
#include "mrkit/config.hpp"

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define MRKIT_DOT_AVX2 1
#else
#define MRKIT_DOT_AVX2 0
#endif

namespace mrkit {
namespace detail {

#define MRKIT_DOT_BODY                                                                  \
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;              \
  int j = 0;                                                                            \
  for (; j + 7 < m; j += 8) {                                                           \
    s0 += y[j] * t[j]; s1 += y[j + 1] * t[j + 1];                                       \
    s2 += y[j + 2] * t[j + 2]; s3 += y[j + 3] * t[j + 3];                               \
    s4 += y[j + 4] * t[j + 4]; s5 += y[j + 5] * t[j + 5];                               \
    s6 += y[j + 6] * t[j + 6]; s7 += y[j + 7] * t[j + 7];                               \
  }                                                                                     \
  for (; j < m; ++j) s0 += y[j] * t[j];                                                 \
  return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7));

inline double dot8_portable(const double* y, const double* t, int m) { MRKIT_DOT_BODY }

#if MRKIT_DOT_AVX2
__attribute__((target("avx2"))) inline double dot8_avx2(const double* y, const double* t, int m) { MRKIT_DOT_BODY }
inline bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif
#undef MRKIT_DOT_BODY

}  // namespace detail

// sum_j y_j t_j, j < m, in the order described above.
inline double dot8(const double* y, const double* t, int m) {
#if MRKIT_DOT_AVX2
  if (detail::cpu_has_avx2()) return detail::dot8_avx2(y, t, m);
#endif
  return detail::dot8_portable(y, t, m);
}

}  // namespace mrkit
