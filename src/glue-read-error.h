// A mrkit::ReadError returned to R as data (kind, message, line, column), shared by the glue
// of the readers (summary statistics, tabix look-up), so that R raises the matching classed
// error (abort_read_error() in R/sumstats.R).
#pragma once
#include <Rcpp.h>
#include <mrkit/io/gzip_stream.hpp>

#include <string>

namespace glue {

inline Rcpp::List read_error_to_list(const mrkit::ReadError& e) {
  return Rcpp::List::create(
      Rcpp::Named("error") = Rcpp::List::create(
          Rcpp::Named("kind") = e.kind, Rcpp::Named("message") = std::string(e.what()),
          Rcpp::Named("line") = static_cast<double>(e.line), Rcpp::Named("column") = e.column));
}

}  // namespace glue
