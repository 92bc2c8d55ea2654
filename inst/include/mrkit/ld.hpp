// Layer ld: LD from PLINK genotypes, clumping, simulated LD panels.
#pragma once
#include "mrkit/ld/clump.hpp"
#include "mrkit/ld/correlation.hpp"
#include "mrkit/ld/simulate_ld.hpp"
