// A guarded OpenMP loop. The body must not call R. The first exception thrown by any
// iteration is re-thrown on the calling thread after the loop. The interruptible variant
// asks a caller-supplied function between groups of iterations whether to stop (the R glue
// checks for a user interrupt there), so long runs stop within a fraction of a second.
#pragma once
#include "mrkit/config.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>

namespace mrkit {

template <class Body>
void parallel_for(int n, int threads, Body&& body) {
  std::exception_ptr error = nullptr;
  std::mutex error_mutex;
  const int nthreads = available_threads(threads);
#ifdef _OPENMP
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 1) if (nthreads > 1 && n > 1)
#endif
  for (int i = 0; i < n; ++i) {
    try {
      body(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
    }
  }
  (void)nthreads;
  if (error) std::rethrow_exception(error);
}

// Thrown by long computations that stopped because `interrupted()` said so.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted by the user") {}
};

// parallel_for over n iterations in groups of `group`, asking `interrupted` (on the calling
// thread) before each group. Returns false, leaving the remaining iterations undone, when it
// answers true.
template <class Body>
bool parallel_for_interruptible(int n, int threads, int group, const std::function<bool()>& interrupted,
                                Body&& body) {
  group = std::max(group, 1);
  for (int g0 = 0; g0 < n; g0 += group) {
    if (interrupted && interrupted()) return false;
    const int len = std::min(group, n - g0);
    parallel_for(len, threads, [&](int i) { body(g0 + i); });
  }
  return true;
}

}  // namespace mrkit
