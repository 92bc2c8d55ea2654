// The method registry (every estimator, by TwoSampleMR's method name), compiled once for the
// whole package. src/Makevars builds every translation unit with MRKIT_REGISTRY_SEPARATE,
// so the glue files that look methods up by name (glue-mr.cpp, glue-sensitivity.cpp) see
// only the declarations of method_registry() and find_method(); see mrkit/registry.hpp.
// The longest translation unit to compile: its name sorts before glue-*.cpp so that a
// parallel make (MAKEFLAGS=-j2) starts it first instead of finishing on it alone.
#define MRKIT_REGISTRY_IMPLEMENTATION
#include <mrkit/registry.hpp>
