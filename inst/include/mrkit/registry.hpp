// The method registry: TwoSampleMR method names (mr_method_list()$obj) mapped to kernels
// with the common signature Estimate(const SummaryData&, const Params&).
#pragma once
#include "egger.hpp"
#include "estimate.hpp"
#include "ivw.hpp"
#include "params.hpp"
#include "summary_data.hpp"
#include "wald_ratio.hpp"
// -- resampling estimators (medians, modes, MR-Egger bootstrap) --

// -- other single-exposure estimators (ML, radial, GRIP, sign, UWR, DL) --

// -- robust and outlier estimators (issue 3) --
#include "raps.hpp"
#include "conmix.hpp"
#include "divw.hpp"
#include "pivw.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

using MethodFn = Estimate (*)(const SummaryData&, const Params&);

struct MethodEntry {
  const char* obj;
  MethodFn fn;
};

inline const std::vector<MethodEntry>& method_registry() {
  static const std::vector<MethodEntry> registry = {
      {"mr_wald_ratio", mr_wald_ratio},
      {"mr_egger_regression", mr_egger_regression},
      {"mr_ivw", mr_ivw},
      {"mr_ivw_mre", mr_ivw_mre},
      {"mr_ivw_fe", mr_ivw_fe},
      // -- resampling estimators --

      // -- other single-exposure estimators --

      // -- robust and outlier estimators --
      {"mr_raps", mr_raps},
      {"mr_conmix", mr_conmix},
      {"mr_divw", mr_divw},
      {"mr_pivw", mr_pivw},

  };
  return registry;
}

inline MethodFn find_method(const std::string& obj) {
  for (const auto& m : method_registry())
    if (obj == m.obj) return m.fn;
  throw std::invalid_argument("unknown MR method '" + obj + "'");
}

}  // namespace mrkit
