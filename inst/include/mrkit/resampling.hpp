// Layer resampling: R-compatible random streams, the thread runner, bootstrap summaries.
#pragma once
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/resample_stats.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/resampling/shared_draws.hpp"
