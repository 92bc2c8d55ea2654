// Layer multivariable: multivariable MR (IVW/Egger, median, lasso, robust).
#pragma once
#include "mrkit/multivariable/mv_lasso.hpp"
#include "mrkit/multivariable/mv_median.hpp"
#include "mrkit/multivariable/mv_robust.hpp"
#include "mrkit/multivariable/mv_wls.hpp"
#include "mrkit/multivariable/mvmr.hpp"
