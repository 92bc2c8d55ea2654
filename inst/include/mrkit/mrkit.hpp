// Umbrella header of the mrkit C++ core: every layer (see README.md in this folder).
#pragma once
#include "mrkit/io.hpp"
#include "mrkit/ld.hpp"
#include "mrkit/multivariable.hpp"
#include "mrkit/registry.hpp"
#include "mrkit/run_pairs.hpp"
#include "mrkit/sensitivity.hpp"
