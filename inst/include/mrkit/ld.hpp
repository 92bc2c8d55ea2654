// Layer ld: LD from PLINK genotypes, clumping, LD partners (proxy candidates), simulated LD panels.
#pragma once
#include "mrkit/ld/clump.hpp"
#include "mrkit/ld/correlation.hpp"
#include "mrkit/ld/proxy_candidates.hpp"
#include "mrkit/ld/simulate_ld.hpp"
