// Glue for the GWAS summary-statistics reader: the header of a file, and the streaming
// read with the column roles decided in R (R/sumstats.R). A mrkit::ReadError is returned
// as data (kind, message, line, column) so that R raises the matching classed error.
#include <Rcpp.h>
#include <mrkit/io/sumstats_reader.hpp>

#include "glue-read-error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

char sep_from_string(const std::string& s) {
  if (s.empty()) return 0;
  return s[0];
}

// The reader hands on UTF-8 text only (non-text lines are skipped): mark it as such.
// Empty strings become NA when `empty_na`.
Rcpp::CharacterVector to_character(const std::vector<std::string>& x, bool empty_na = true) {
  Rcpp::CharacterVector out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (empty_na && x[i].empty()) out[i] = NA_STRING;
    else out[i] = Rcpp::String(x[i], CE_UTF8);
  }
  return out;
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_sumstats_header(std::string path, std::string sep) {
  try {
    const mrkit::HeaderInfo h = mrkit::read_header(path, sep_from_string(sep));
    return Rcpp::List::create(Rcpp::Named("fields") = to_character(h.fields, false),
                              Rcpp::Named("first_row") = to_character(h.first_row, false),
                              Rcpp::Named("line") = static_cast<double>(h.line),
                              Rcpp::Named("sep") = std::string(1, h.sep),
                              Rcpp::Named("compressed") = h.compressed);
  } catch (const mrkit::ReadError& e) {
    return glue::read_error_to_list(e);
  }
}

// [[Rcpp::export]]
Rcpp::List cpp_read_sumstats(std::string path, Rcpp::List spec, Rcpp::Nullable<Rcpp::CharacterVector> snps) {
  mrkit::SumstatsSpec s;
  const Rcpp::IntegerVector cols = spec["cols"];
  const Rcpp::CharacterVector col_names = cols.names();
  for (R_xlen_t i = 0; i < cols.size(); ++i) {
    const int f = mrkit::field_from_name(Rcpp::as<std::string>(col_names[i]));
    if (f < 0) Rcpp::stop("unknown field role '%s'", Rcpp::as<std::string>(col_names[i]));
    s.col[f] = cols[i];
  }
  const Rcpp::CharacterVector keys = spec["vcf_keys"];
  if (keys.size() > 0) {
    const Rcpp::CharacterVector key_names = keys.names();
    for (R_xlen_t i = 0; i < keys.size(); ++i) {
      const int f = mrkit::field_from_name(Rcpp::as<std::string>(key_names[i]));
      if (f < 0) Rcpp::stop("unknown field role '%s'", Rcpp::as<std::string>(key_names[i]));
      s.vcf_key[f] = Rcpp::as<std::string>(keys[i]);
    }
  }
  s.vcf = Rcpp::as<bool>(spec["vcf"]);
  s.vcf_format_col = Rcpp::as<int>(spec["vcf_format_col"]);
  s.vcf_sample_col = Rcpp::as<int>(spec["vcf_sample_col"]);
  s.sep = sep_from_string(Rcpp::as<std::string>(spec["sep"]));
  s.header_line = static_cast<long>(Rcpp::as<double>(spec["header_line"]));
  s.header = Rcpp::as<std::vector<std::string>>(spec["header"]);
  s.pval_threshold = Rcpp::as<double>(spec["pval_threshold"]);
  s.max_malformed = static_cast<long>(Rcpp::as<double>(spec["max_malformed"]));
  if (spec.containsElementNamed("threads")) s.threads = std::max(1, Rcpp::as<int>(spec["threads"]));
  if (snps.isNotNull()) {
    s.filter_snps = true;
    const Rcpp::CharacterVector v(snps.get());
    s.snps.reserve(v.size() * 2);
    for (R_xlen_t i = 0; i < v.size(); ++i)
      if (!Rcpp::CharacterVector::is_na(v[i])) s.snps.insert(Rcpp::as<std::string>(v[i]));
  }
  for (int f = 0; f < mrkit::kFieldCount; ++f) {
    if (s.col[f] >= static_cast<int>(s.header.size())) Rcpp::stop("column index out of range");
  }

  mrkit::SumstatsResult r;
  try {
    mrkit::SumstatsReader reader(std::move(s));
    reader.set_poll([] { Rcpp::checkUserInterrupt(); });
    r = reader.read(path);
  } catch (const mrkit::ReadError& e) {
    return glue::read_error_to_list(e);
  }

  Rcpp::List columns;
  for (int i = 0; i < mrkit::kOutTextCount; ++i)
    if (r.text_on[i]) columns[mrkit::out_text_name(i)] = to_character(r.text[i]);
  for (int i = 0; i < mrkit::kOutNumCount; ++i) {
    if (!r.num_on[i]) continue;
    Rcpp::NumericVector v(r.num[i].size());
    for (std::size_t k = 0; k < r.num[i].size(); ++k) v[k] = std::isnan(r.num[i][k]) ? NA_REAL : r.num[i][k];
    columns[mrkit::out_num_name(i)] = v;
  }

  Rcpp::NumericVector counts = Rcpp::NumericVector::create(
      Rcpp::Named("lines") = r.lines, Rcpp::Named("blank") = r.blank, Rcpp::Named("comment") = r.comment,
      Rcpp::Named("malformed") = r.malformed, Rcpp::Named("multiallelic") = r.multiallelic,
      Rcpp::Named("filtered_test") = r.filtered_test, Rcpp::Named("filtered_pval") = r.filtered_pval,
      Rcpp::Named("filtered_snp") = r.filtered_snp, Rcpp::Named("kept") = r.kept);
  Rcpp::NumericVector unparsable(mrkit::kFieldCount);
  Rcpp::CharacterVector unparsable_names(mrkit::kFieldCount);
  for (int f = 0; f < mrkit::kFieldCount; ++f) {
    unparsable[f] = static_cast<double>(r.unparsable[f]);
    unparsable_names[f] = mrkit::field_name(f);
  }
  unparsable.names() = unparsable_names;
  std::vector<double> pl(r.prob_line.begin(), r.prob_line.end());
  Rcpp::List problems = Rcpp::List::create(
      Rcpp::Named("line") = pl, Rcpp::Named("column") = r.prob_column,
      Rcpp::Named("value") = r.prob_value, Rcpp::Named("problem") = r.prob_what);
  return Rcpp::List::create(Rcpp::Named("columns") = columns, Rcpp::Named("counts") = counts,
                            Rcpp::Named("unparsable") = unparsable, Rcpp::Named("problems") = problems,
                            Rcpp::Named("compressed") = r.compressed);
}
