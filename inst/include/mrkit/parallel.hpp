// A guarded OpenMP loop. The body must not call R. The first exception thrown by any
// iteration is re-thrown on the calling thread after the loop.
#pragma once
#include "config.hpp"

#include <exception>
#include <mutex>

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

}  // namespace mrkit
