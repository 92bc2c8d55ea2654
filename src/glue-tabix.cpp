// Glue for indexed look-up in bgzipped, tabix/CSI-indexed files (mrkit/io/bgzf_tabix.hpp):
// the records at given positions copied to a plain text file, which R then reads with the
// streaming reader; and the BGZF + .tbi writer used by tests and benchmarks. A
// mrkit::ReadError is returned as data (glue-read-error.h) so that R raises a classed error.
#include <Rcpp.h>
#include <mrkit/io/bgzf_tabix.hpp>

#include "glue-read-error.h"

#include <cstdio>
#include <string>
#include <vector>

// [[Rcpp::export]]
Rcpp::List cpp_tabix_extract(std::string path, std::string index_path, std::vector<std::string> chrom,
                             std::vector<double> pos, double header_lines, std::string out_path) {
  std::vector<std::int64_t> p(pos.size());
  for (std::size_t i = 0; i < pos.size(); ++i) p[i] = static_cast<std::int64_t>(pos[i]);
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) Rcpp::stop("cannot write '%s'", out_path);
  mrkit::tabix::ExtractStats st;
  try {
    st = mrkit::tabix::extract_regions(path, index_path, chrom, p, static_cast<long>(header_lines), out);
  } catch (const mrkit::ReadError& e) {
    std::fclose(out);
    return glue::read_error_to_list(e);
  }
  std::fclose(out);
  return Rcpp::List::create(Rcpp::Named("chunks") = static_cast<double>(st.chunks),
                            Rcpp::Named("blocks") = static_cast<double>(st.blocks),
                            Rcpp::Named("lines_scanned") = static_cast<double>(st.lines_scanned),
                            Rcpp::Named("lines_kept") = static_cast<double>(st.lines_kept),
                            Rcpp::Named("positions_unknown_seq") = static_cast<double>(st.positions_unknown_seq));
}

// [[Rcpp::export]]
Rcpp::List cpp_bgzip_tabix(std::string in_path, std::string out_path, std::string index_path, int format,
                           int col_seq, int col_beg, int col_end, int meta, int skip) {
  try {
    mrkit::tabix::bgzf_compress_file(in_path, out_path);
    if (!index_path.empty()) {
      mrkit::tabix::Index ix;
      ix.format = format;
      ix.col_seq = col_seq;
      ix.col_beg = col_beg;
      ix.col_end = col_end;
      ix.meta = meta;
      ix.skip = skip;
      mrkit::tabix::tabix_build(out_path, index_path, ix);
    }
  } catch (const mrkit::ReadError& e) {
    return glue::read_error_to_list(e);
  }
  return Rcpp::List::create();
}
