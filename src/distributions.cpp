// Boost.Math's distributions (tails and quantiles of the normal, Student t, chi-squared and
// binomial), compiled once for the whole package rather than in every translation unit that
// reports a p-value: src/Makevars defines MRKIT_DISTRIBUTIONS_SEPARATE; see
// mrkit/distributions.hpp.
#define MRKIT_DISTRIBUTIONS_IMPLEMENTATION
#include <mrkit/distributions.hpp>
