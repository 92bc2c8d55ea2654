// mrkit C++ core: configuration shared by every header.
// The core depends on Eigen, Boost.Math and the standard library only (no R headers).
#pragma once

// One Boost.Math policy for the whole core: no exceptions for domain/overflow errors
// (callers check inputs), and no promotion of double to long double so results are
// identical across platforms with and without an extended long double.
#ifndef BOOST_MATH_DOMAIN_ERROR_POLICY
#define BOOST_MATH_DOMAIN_ERROR_POLICY ignore_error
#endif
#ifndef BOOST_MATH_POLE_ERROR_POLICY
#define BOOST_MATH_POLE_ERROR_POLICY ignore_error
#endif
#ifndef BOOST_MATH_OVERFLOW_ERROR_POLICY
#define BOOST_MATH_OVERFLOW_ERROR_POLICY ignore_error
#endif
#ifndef BOOST_MATH_EVALUATION_ERROR_POLICY
#define BOOST_MATH_EVALUATION_ERROR_POLICY ignore_error
#endif
#ifndef BOOST_MATH_PROMOTE_DOUBLE_POLICY
#define BOOST_MATH_PROMOTE_DOUBLE_POLICY false
#endif

#ifdef _OPENMP
#include <omp.h>
#endif

#include <limits>

// Keeps a rarely taken path out of its caller's inlined body.
#if defined(__GNUC__) || defined(__clang__)
#define MRKIT_NOINLINE __attribute__((noinline))
#else
#define MRKIT_NOINLINE
#endif

namespace mrkit {

constexpr double NA = std::numeric_limits<double>::quiet_NaN();

// Number of OpenMP threads actually usable (1 when built without OpenMP).
inline int available_threads(int requested) {
#ifdef _OPENMP
  return requested < 1 ? 1 : requested;
#else
  (void)requested;
  return 1;
#endif
}

}  // namespace mrkit
