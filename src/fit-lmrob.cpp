// MM-estimation (lmrob_mm: the robust IVW/MR-Egger fits and the robust multivariable fit),
// compiled once for the whole package rather than in each translation unit that fits it:
// src/Makevars defines MRKIT_LMROB_SEPARATE; see mrkit/numerics/lmrob.hpp. One of the
// longest translation units to compile: like estimator-registry.cpp, its name sorts before
// glue-*.cpp so that a parallel make (MAKEFLAGS=-j2) starts it early instead of ending on it.
#define MRKIT_LMROB_IMPLEMENTATION
#include <mrkit/numerics/lmrob.hpp>
