// Eigen's dense module, included through this header everywhere in mrkit (one place to
// change should the core ever need more of Eigen, or Eigen from somewhere else).
//
// gcc >= 6 warns "ignoring attributes on template argument '__m128'" [-Wignored-attributes]
// many times per translation unit from Eigen's own SIMD packet traits, with Eigen 3.3 and 3.4
// alike (RcppEigen 0.3.3.x and 0.3.4.x). Those warnings are about Eigen's code; CRAN does not
// accept diagnostic pragmas that hide them, so none are here. The project's own build
// commands (make install/demo/test) add -Wno-ignored-attributes through a user Makevars layer
// (tools/quiet-eigen.Makevars); a plain R CMD INSTALL shows them, as for any package that
// uses Eigen.
#pragma once

#include <Eigen/Dense>
