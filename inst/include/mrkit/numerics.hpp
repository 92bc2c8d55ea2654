// Layer numerics: weighted least squares, MM-regression, kernel density on R's grid, a dot
// product with a fixed order of operations.
#pragma once
#include "mrkit/numerics/density.hpp"
#include "mrkit/numerics/dot.hpp"
#include "mrkit/numerics/lmrob.hpp"
#include "mrkit/numerics/wls.hpp"
