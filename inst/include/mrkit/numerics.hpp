// Layer numerics: weighted least squares, MM-regression, kernel density on R's grid.
#pragma once
#include "mrkit/numerics/density.hpp"
#include "mrkit/numerics/lmrob.hpp"
#include "mrkit/numerics/wls.hpp"
