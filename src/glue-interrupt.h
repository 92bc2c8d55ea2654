// Whether the user pressed Ctrl-C / Esc, for the glue's long C++ loops. R_CheckUserInterrupt
// longjmps, so it runs under R_ToplevelExec and the C++ stack unwinds normally; the caller
// then stops its work and throws Rcpp::internal::InterruptedException, which Rcpp turns into
// R's interrupt.
#pragma once
#include <Rcpp.h>

namespace glue {

inline void check_interrupt_fn(void*) { R_CheckUserInterrupt(); }
inline bool user_interrupted() { return R_ToplevelExec(check_interrupt_fn, nullptr) == FALSE; }
// For loops that stop by unwinding: throws R's interrupt when the user asked for one.
inline void poll_interrupt() {
  if (user_interrupted()) throw Rcpp::internal::InterruptedException();
}

}  // namespace glue
