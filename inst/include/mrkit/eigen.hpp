// Eigen's dense module, included through this header everywhere in mrkit.
// gcc >= 6 warns "ignoring attributes on template argument '__m128'" [-Wignored-attributes]
// dozens of times per translation unit from Eigen's SIMD packet traits (Eigen 3.3); the
// warnings are about Eigen's code, not ours. The pragmas silence exactly that warning for
// Eigen's headers only: gcc and clang both read "#pragma GCC diagnostic", and both attribute
// a warning raised later while instantiating an Eigen template to the Eigen line it points
// at, so it stays silenced there too. Our own code is compiled with the warning on.
#pragma once

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

#include <Eigen/Dense>

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
