// Umbrella header of the mrkit C++ core.
#pragma once
#include "registry.hpp"
#include "run_pairs.hpp"
