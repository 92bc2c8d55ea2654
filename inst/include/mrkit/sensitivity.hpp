// Layer sensitivity: leave-one-out, single-SNP, Rucker framework, radial MR, MR-PRESSO.
#pragma once
#include "mrkit/sensitivity/leave_one_out.hpp"
#include "mrkit/sensitivity/presso.hpp"
#include "mrkit/sensitivity/radialmr.hpp"
#include "mrkit/sensitivity/rucker.hpp"
#include "mrkit/sensitivity/single_snp.hpp"
