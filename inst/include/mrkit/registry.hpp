// The method registry: TwoSampleMR method names (mr_method_list()$obj) mapped to kernels
// with the common signature Estimate(const SummaryData&, const Params&). This table is the
// only place that lists every estimator; the layers above it (sensitivity, run_pairs) look
// methods up here by name.
//
// Header-only by default: method_registry() and find_method() are inline, and every
// translation unit that includes this header compiles every estimator. A program with
// several translation units that use the registry can compile it once instead: define
// MRKIT_REGISTRY_SEPARATE in all of them (the R package does, in src/Makevars), and
// additionally MRKIT_REGISTRY_IMPLEMENTATION in exactly one (src/estimator-registry.cpp). The others
// then see two declarations and none of the estimators.
#pragma once
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <string>
#include <vector>

#if !defined(MRKIT_REGISTRY_SEPARATE) || defined(MRKIT_REGISTRY_IMPLEMENTATION)
#define MRKIT_REGISTRY_DEFINE 1
#endif

#if defined(MRKIT_REGISTRY_SEPARATE)
#define MRKIT_REGISTRY_LINKAGE
#else
#define MRKIT_REGISTRY_LINKAGE inline
#endif

namespace mrkit {

using MethodFn = Estimate (*)(const SummaryData&, const Params&);

// Estimators whose bootstraps can share one set of draws (the medians and modes): run on the
// same pair with the same seed, the members of a group are computed by one call of the
// group's joint function, each with the result of its own call. `members` lists the
// members' positions (MethodEntry::member); out[i] receives the estimate of members[i].
using JointFn = void (*)(const SummaryData&, const Params&, const std::vector<int>& members, Estimate* out);

struct MethodEntry {
  const char* obj;
  MethodFn fn;
  int draws_group = 0;  // 0: draws of its own; otherwise the group it shares draws with
  int member = 0;       // position within the group
};

MRKIT_REGISTRY_LINKAGE const std::vector<MethodEntry>& method_registry();
MRKIT_REGISTRY_LINKAGE const MethodEntry& find_entry(const std::string& obj);
MRKIT_REGISTRY_LINKAGE MethodFn find_method(const std::string& obj);
MRKIT_REGISTRY_LINKAGE JointFn joint_function(int draws_group);

}  // namespace mrkit

#if defined(MRKIT_REGISTRY_DEFINE)
#include "mrkit/estimators/egger.hpp"
#include "mrkit/estimators/ivw.hpp"
#include "mrkit/estimators/wald_ratio.hpp"
// -- resampling estimators (medians, modes, MR-Egger bootstrap) --
#include "mrkit/estimators/egger_bootstrap.hpp"
#include "mrkit/estimators/median.hpp"
#include "mrkit/estimators/mode.hpp"
#include "mrkit/estimators/ratio_estimates.hpp"

// -- other single-exposure estimators (ML, radial, GRIP, sign, UWR, DL) --
#include "mrkit/estimators/grip.hpp"
#include "mrkit/estimators/ivw_dl.hpp"
#include "mrkit/estimators/ml.hpp"
#include "mrkit/estimators/ivw_radial.hpp"
#include "mrkit/estimators/sign.hpp"
#include "mrkit/estimators/uwr.hpp"

// -- robust and outlier estimators (issue 3) --
#include "mrkit/estimators/raps.hpp"
#include "mrkit/estimators/conmix.hpp"
#include "mrkit/estimators/divw.hpp"
#include "mrkit/estimators/pivw.hpp"

// -- robust estimators 2 (lasso, cML, MM, penalised) --
#include "mrkit/estimators/lasso.hpp"
#include "mrkit/estimators/penalised_robust.hpp"

#include <stdexcept>

namespace mrkit {

MRKIT_REGISTRY_LINKAGE const std::vector<MethodEntry>& method_registry() {
  static const std::vector<MethodEntry> registry = {
      {"mr_wald_ratio", mr_wald_ratio},
      {"mr_egger_regression", mr_egger_regression},
      {"mr_ivw", mr_ivw},
      {"mr_ivw_mre", mr_ivw_mre},
      {"mr_ivw_fe", mr_ivw_fe},
      // -- resampling estimators --
      {"mr_egger_regression_bootstrap", mr_egger_regression_bootstrap},
      {"mr_simple_median", mr_simple_median, 1, ratio_median_member + static_cast<int>(MedianKind::simple)},
      {"mr_weighted_median", mr_weighted_median, 1, ratio_median_member + static_cast<int>(MedianKind::weighted)},
      {"mr_penalised_weighted_median", mr_penalised_weighted_median, 1,
       ratio_median_member + static_cast<int>(MedianKind::penalised)},
      {"mr_simple_mode", mr_simple_mode, 1, static_cast<int>(ModeKind::simple)},
      {"mr_weighted_mode", mr_weighted_mode, 1, static_cast<int>(ModeKind::weighted)},
      {"mr_weighted_mode_nome", mr_weighted_mode_nome, 1, static_cast<int>(ModeKind::weighted_nome)},
      {"mr_simple_mode_nome", mr_simple_mode_nome, 1, static_cast<int>(ModeKind::simple_nome)},

      // -- other single-exposure estimators --
      {"mr_two_sample_ml", mr_two_sample_ml},
      {"mr_ivw_radial", mr_ivw_radial},
      {"mr_sign", mr_sign},
      {"mr_uwr", mr_uwr},
      {"mr_grip", mr_grip},
      {"mr_ivw_dl", mr_ivw_dl},

      // -- robust and outlier estimators --
      {"mr_raps", mr_raps},
      {"mr_conmix", mr_conmix},
      {"mr_divw", mr_divw},
      {"mr_pivw", mr_pivw},

      // -- robust estimators 2 (lasso, cML, MM, penalised) --
      {"mr_lasso", mr_lasso},
      {"mr_ivw_penalised", mr_ivw_penalised},
      {"mr_egger_penalised", mr_egger_penalised},
      {"mr_ivw_robust", mr_ivw_robust},
      {"mr_egger_robust", mr_egger_robust},
      {"mr_ivw_robust_penalised", mr_ivw_robust_penalised},
      {"mr_egger_robust_penalised", mr_egger_robust_penalised},
  };
  return registry;
}

MRKIT_REGISTRY_LINKAGE const MethodEntry& find_entry(const std::string& obj) {
  for (const auto& m : method_registry())
    if (obj == m.obj) return m;
  throw std::invalid_argument("unknown MR method '" + obj + "'");
}

MRKIT_REGISTRY_LINKAGE MethodFn find_method(const std::string& obj) { return find_entry(obj).fn; }

// Group 1: the ratio estimators (medians and modes), members as in ratio_estimates().
MRKIT_REGISTRY_LINKAGE JointFn joint_function(int draws_group) {
  if (draws_group != 1) throw std::invalid_argument("unknown group of shared draws");
  return ratio_estimates;
}

}  // namespace mrkit
#endif  // MRKIT_REGISTRY_DEFINE
