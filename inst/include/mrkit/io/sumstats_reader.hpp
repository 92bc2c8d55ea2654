// mrkit C++ core: streaming reader of GWAS summary-statistics files.
//
// The file (plain or gzip) is read line by line; only the mapped columns are looked at,
// rows are filtered while reading (p-value threshold, SNP set, TEST == "ADD"), and only
// kept rows are stored. Effect sizes are put on the log scale and completed:
//   odds ratio          beta = log(OR)
//   CI only             se = (upper - lower) / (2 * 1.959964) on the beta scale
//                       (the log of the limits when the effect is an odds ratio)
//   Z with N and eaf    se = 1 / sqrt(2 f (1 - f) (n + z^2)), beta = z * se
//   -log10 p            p = 10^-x
// Rows without an identifier get "chr:pos". Malformed lines (wrong number of fields),
// values that are not numbers and filtered rows are counted; the first problems are kept
// with their line numbers. Which column plays which role is decided by the caller
// (mrkit's R front end); the reader does no guessing beyond the separator.
#pragma once

#include "mrkit/io/delimited.hpp"
#include "mrkit/io/gzip_stream.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mrkit {

// Input roles a column can play.
enum Field : int {
  f_snp, f_chr, f_pos, f_effect_allele, f_other_allele, f_ref, f_alt, f_a1,
  f_beta, f_odds_ratio, f_ci_lower, f_ci_upper, f_se, f_z, f_pval, f_log10p,
  f_eaf, f_n, f_ncase, f_ncontrol, f_info, f_phenotype, f_id, f_units, f_gene, f_test,
  kFieldCount
};

inline const char* field_name(int f) {
  static const char* names[kFieldCount] = {
      "snp", "chr", "pos", "effect_allele", "other_allele", "ref", "alt", "a1",
      "beta", "odds_ratio", "ci_lower", "ci_upper", "se", "z", "pval", "log10p",
      "eaf", "n", "ncase", "ncontrol", "info", "phenotype", "id", "units", "gene", "test"};
  return names[f];
}

inline int field_from_name(const std::string& s) {
  for (int f = 0; f < kFieldCount; ++f)
    if (s == field_name(f)) return f;
  return -1;
}

struct HeaderInfo {
  std::vector<std::string> fields;     // column names of the header line
  std::vector<std::string> first_row;  // fields of the first data line (may be empty)
  long line = 0;                       // line number of the header
  char sep = kWhitespaceSep;
  bool compressed = false;
};

// A comment line before the header: "##" meta lines (VCF) and lines of "#" followed by a
// space, a tab or nothing. "#chrom" (FinnGen) and "#CHROM" (VCF) are headers.
inline bool is_comment_line(std::string_view line) {
  if (line.substr(0, 2) == "##") return true;
  return line == "#" || line.substr(0, 2) == "# " || line.substr(0, 2) == "#\t";
}

// The header is the first line that is neither blank nor a comment line; a UTF-8 byte order
// mark before it is dropped. `chunk`: the line reader's buffer size (a small one for fuzzing).
inline HeaderInfo read_header(const std::string& path, char sep = 0, std::size_t chunk = std::size_t(1) << 22) {
  HeaderInfo h;
  LineReader in(path, chunk);
  h.compressed = in.compressed();
  std::string_view line;
  std::vector<std::string_view> v;
  bool have_header = false;
  while (in.next(line)) {
    if (!have_header) {
      if (in.line_number() == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
      if (trim(line).empty() || is_comment_line(line)) continue;
      h.line = in.line_number();
      if (!is_valid_text(line)) {
        throw ReadError("file_encoding",
                        "line " + std::to_string(h.line) + " (the header) is not text: " + not_text_message(line) +
                            " (is this a summary-statistics file?)",
                        h.line);
      }
      h.sep = sep != 0 ? sep : detect_separator(line);
      split_fields(line, h.sep, v);
      for (auto s : v) h.fields.emplace_back(s);
      have_header = true;
    } else {
      if (trim(line).empty()) continue;
      split_fields(line, h.sep, v);
      for (auto s : v) h.first_row.push_back(printable(s, s.size()));
      break;
    }
  }
  if (!have_header) throw ReadError("file_malformed", "the file has no header line", 1);
  return h;
}

struct SumstatsSpec {
  std::array<int, kFieldCount> col;           // 0-based column index, -1 when absent
  std::array<std::string, kFieldCount> vcf_key;  // GWAS-VCF: FORMAT key of a role
  bool vcf = false;
  int vcf_format_col = 8, vcf_sample_col = 9;
  char sep = kWhitespaceSep;
  long header_line = 1;
  std::vector<std::string> header;
  double pval_threshold = std::numeric_limits<double>::quiet_NaN();  // NaN: no filter
  bool filter_snps = false;
  std::unordered_set<std::string> snps;  // lower case, no white space
  std::string test_keep = "ADD";
  long max_malformed = 100;
  std::size_t max_problems = 1000;
  double ci_z = 1.959963984540054;  // qnorm(0.975): CIs are 95% intervals
  std::size_t read_chunk = std::size_t(1) << 22;  // line reader buffer
  int threads = 1;  // BGZF files: threads > 1 decode blocks ahead of the parser
  SumstatsSpec() {
    col.fill(-1);
  }
  bool has(int f) const { return col[f] >= 0 || (vcf && !vcf_key[f].empty()); }
};

// Output columns (text and numeric), filled only when their source is available.
enum OutText : int { o_snp, o_chr, o_effect_allele, o_other_allele, o_phenotype, o_id, o_units, o_gene, kOutTextCount };
enum OutNum : int { o_pos, o_beta, o_se, o_eaf, o_pval, o_samplesize, o_ncase, o_ncontrol, o_z, o_info, kOutNumCount };

inline const char* out_text_name(int i) {
  static const char* n[kOutTextCount] = {"SNP", "chr", "effect_allele", "other_allele", "phenotype", "id", "units", "gene"};
  return n[i];
}
inline const char* out_num_name(int i) {
  static const char* n[kOutNumCount] = {"pos", "beta", "se", "eaf", "pval", "samplesize", "ncase", "ncontrol", "z", "info"};
  return n[i];
}

struct SumstatsResult {
  std::array<std::vector<std::string>, kOutTextCount> text;
  std::array<std::vector<double>, kOutNumCount> num;
  std::array<bool, kOutTextCount> text_on{};
  std::array<bool, kOutNumCount> num_on{};
  bool compressed = false;
  // Counts of lines after the header.
  long lines = 0, blank = 0, comment = 0, malformed = 0, multiallelic = 0, filtered_test = 0,
       filtered_pval = 0, filtered_snp = 0, kept = 0;
  std::array<long, kFieldCount> unparsable{};
  // The first problems: line, column, value, what was done.
  std::vector<long> prob_line;
  std::vector<std::string> prob_column, prob_value, prob_what;
};

class SumstatsReader {
 public:
  explicit SumstatsReader(SumstatsSpec spec) : s_(std::move(spec)) {}

  // Called every 2^20 lines (for example to let the caller check for a user interrupt;
  // an exception thrown there ends the read).
  void set_poll(std::function<void()> poll) { poll_ = std::move(poll); }

  SumstatsResult read(const std::string& path) {
    SumstatsResult r;
    set_outputs(r);
    LineReader in(path, s_.read_chunk, s_.threads);
    r.compressed = in.compressed();
    std::string_view line;
    while (in.line_number() < s_.header_line && in.next(line)) {
    }
    const std::size_t nhead = s_.header.size();
    long well_formed = 0, first_bad_line = 0;
    std::string first_bad_col, first_bad_what;
    std::size_t first_bad_nf = nhead;
    // A skipped line is counted and recorded; past max_malformed of them the read fails.
    auto skip_line = [&](const std::string& colname, const std::string& what) {
      ++r.malformed;
      if (first_bad_line == 0) { first_bad_line = in.line_number(); first_bad_col = colname; first_bad_what = what; }
      problem(r, in.line_number(), colname, printable(line), what + "; line skipped");
      if (r.malformed > s_.max_malformed) {
        throw ReadError("file_malformed",
                        "line " + std::to_string(in.line_number()) + ": " + what + " (column '" + colname +
                            "'); more than " + std::to_string(s_.max_malformed) + " malformed lines",
                        in.line_number(), colname);
      }
    };
    const bool fast = fast_pval_possible();
    while (in.next(line)) {
      ++r.lines;
      if (poll_ && (r.lines & 0xFFFFF) == 0) poll_();
      if (trim(line).empty()) { ++r.blank; continue; }
      if (line.front() == '#') { ++r.comment; continue; }
      if (fast && skip_by_pval(r, line)) continue;
      const std::size_t nf = split_fields(line, s_.sep, fields_);
      if (nf != nhead) {
        const std::string colname = nf < nhead ? s_.header[nf] : "(extra field " + std::to_string(nf) + ")";
        if (first_bad_line == 0) first_bad_nf = nf;
        skip_line(colname, "expected " + std::to_string(nhead) + " fields, found " + std::to_string(nf));
        continue;
      }
      std::string bad_col, why;
      if (!process(r, in.line_number(), bad_col, why)) {
        skip_line(bad_col, why);
        continue;
      }
      ++well_formed;
    }
    if (well_formed == 0 && r.malformed > 0) {
      const std::string first =
          first_bad_nf != nhead ? "line " + std::to_string(first_bad_line) + " has " + std::to_string(first_bad_nf) +
                                      " fields (first missing or extra column: '" + first_bad_col + "')"
                                : "line " + std::to_string(first_bad_line) + ": " + first_bad_what;
      throw ReadError("file_malformed",
                      "no line could be read: " + std::to_string(r.malformed) + " malformed (header: " +
                          std::to_string(nhead) + " fields); " + first,
                      first_bad_line, first_bad_col);
    }
    return r;
  }

 private:
  // The p-value-first path: with a p-value threshold, a single-character separator and a
  // p-value (or -log10 p) column, most lines are rejected after looking at that one field.
  bool fast_pval_possible() const {
    return !std::isnan(s_.pval_threshold) && !s_.vcf && s_.sep != kWhitespaceSep &&
           (s_.col[f_pval] >= 0 || s_.col[f_log10p] >= 0);
  }

  // True (with the line counted as filtered by p-value) when the full path would do exactly
  // that and nothing else: the line is printable ASCII without quotes (so its text is valid
  // and splitting is plain), has the header's number of fields, passes the TEST filter and
  // has a p-value that parses and is not below the threshold. Any other line is left to the
  // full path, which counts and records it as before.
  bool skip_by_pval(SumstatsResult& r, std::string_view line) {
    const char sep = s_.sep;
    const std::size_t nhead = s_.header.size();
    // Separator positions, in one pass over 8 bytes at a time (lines with more fields than
    // seps_ holds are left to the full path).
    std::size_t ns = 0;
    const auto* u = reinterpret_cast<const unsigned char*>(line.data());
    const std::size_t n = line.size();
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL, lows = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t sepw = ones * static_cast<unsigned char>(sep), quotew = ones * static_cast<unsigned char>('"');
    // Exact per-byte zero test: 0x80 in each byte of x that is 0.
    auto zero_bytes = [&](std::uint64_t x) { return ~(((x & lows) + lows) | x | lows); };
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, u + i, 8);
      if ((w & highs) != 0 || zero_bytes(w) != 0 || zero_bytes(w ^ quotew) != 0) return false;
      std::uint64_t m = zero_bytes(w ^ sepw);
      while (m != 0) {
        if (ns == seps_.size()) return false;
        seps_[ns++] = static_cast<std::uint32_t>(i + (static_cast<std::size_t>(__builtin_ctzll(m)) >> 3));
        m &= m - 1;
      }
    }
    for (; i < n; ++i) {
      const unsigned char c = u[i];
      if (c == 0 || c >= 0x80 || c == '"') return false;
      if (c == static_cast<unsigned char>(sep)) {
        if (ns == seps_.size()) return false;
        seps_[ns++] = static_cast<std::uint32_t>(i);
      }
    }
    if (ns + 1 != nhead || n > 0xFFFFFFFFu) return false;
    auto field = [&](int col) {
      const std::size_t b = col == 0 ? 0 : seps_[col - 1] + 1;
      const std::size_t e = static_cast<std::size_t>(col) < ns ? seps_[col] : n;
      return trim(line.substr(b, e - b));
    };
    if (s_.col[f_test] >= 0 && field(s_.col[f_test]) != s_.test_keep) {
      ++r.filtered_test;
      return true;
    }
    double v;
    const bool log10p = s_.col[f_pval] < 0;
    const std::string_view pv = field(log10p ? s_.col[f_log10p] : s_.col[f_pval]);
    if (!log10p) {
      const int k = pval_decimal_exponent_bound(pv);
      if (k >= 0 && k < 23 && kNegPow10[k] >= s_.pval_threshold) {
        ++r.filtered_pval;
        return true;
      }
    }
    if (parse_double(pv, v) != NumStatus::ok) return false;
    const double p = log10p ? std::pow(10.0, -v) : v;
    if (std::isnan(p) || p < s_.pval_threshold) return false;
    ++r.filtered_pval;
    return true;
  }

  // 10^-k as doubles (each literal correctly rounded).
  static constexpr double kNegPow10[23] = {1e0,   1e-1,  1e-2,  1e-3,  1e-4,  1e-5,  1e-6,  1e-7,
                                            1e-8,  1e-9,  1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15,
                                            1e-16, 1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22};

  // A k such that the number written in `s` is at least 10^-k, read off its digits without
  // converting it: "0.000ddd" (first non-zero digit at decimal place k) and "d...[.ddd]" or
  // "d[.ddd]e-k" with a leading digit 1-9; -1 for anything else (signs, missing codes, odd
  // forms), which is then parsed. As conversion rounds monotonically, the double of `s` is
  // then at least the double 1e-k, so a 1e-k at or above the threshold filters the line
  // exactly as parsing would.
  static int pval_decimal_exponent_bound(std::string_view s) {
    const std::size_t n = s.size();
    auto digit = [&](std::size_t i) { return i < n && s[i] >= '0' && s[i] <= '9'; };
    std::size_t i = 0;
    if (n >= 3 && s[0] == '0' && s[1] == '.') {
      i = 2;
      while (i < n && s[i] == '0') ++i;
      if (i >= n || !digit(i)) return -1;
      const int k = static_cast<int>(i - 1);
      while (digit(i)) ++i;
      return i == n ? k : -1;
    }
    if (n == 0 || s[0] < '1' || s[0] > '9') return -1;
    while (digit(i)) ++i;
    if (i < n && s[i] == '.') {
      ++i;
      while (digit(i)) ++i;
    }
    if (i == n) return 0;
    if (s[i] != 'e' && s[i] != 'E') return -1;
    ++i;
    if (i >= n || s[i] != '-') return -1;
    ++i;
    int k = 0, nd = 0;
    while (digit(i) && nd < 4) { k = k * 10 + (s[i] - '0'); ++i; ++nd; }
    return i == n && nd > 0 ? k : -1;
  }

 public:
  // For the core tests.
  static int decimal_exponent_bound_for_test(std::string_view s) { return pval_decimal_exponent_bound(s); }

 private:
  void set_outputs(SumstatsResult& r) const {
    const bool zn = s_.has(f_z) && s_.has(f_eaf) && s_.has(f_n);
    r.text_on[o_snp] = s_.has(f_snp) || (s_.has(f_chr) && s_.has(f_pos));
    r.text_on[o_chr] = s_.has(f_chr);
    r.text_on[o_effect_allele] = s_.has(f_effect_allele) || s_.has(f_a1);
    r.text_on[o_other_allele] = s_.has(f_other_allele) || (s_.has(f_a1) && s_.has(f_ref) && s_.has(f_alt));
    r.text_on[o_phenotype] = s_.has(f_phenotype);
    r.text_on[o_id] = s_.has(f_id);
    r.text_on[o_units] = s_.has(f_units);
    r.text_on[o_gene] = s_.has(f_gene);
    r.num_on[o_pos] = s_.has(f_pos);
    r.num_on[o_beta] = s_.has(f_beta) || s_.has(f_odds_ratio) || zn;
    r.num_on[o_se] = s_.has(f_se) || (s_.has(f_ci_lower) && s_.has(f_ci_upper)) || zn;
    r.num_on[o_eaf] = s_.has(f_eaf);
    r.num_on[o_pval] = s_.has(f_pval) || s_.has(f_log10p);
    r.num_on[o_samplesize] = s_.has(f_n);
    r.num_on[o_ncase] = s_.has(f_ncase);
    r.num_on[o_ncontrol] = s_.has(f_ncontrol);
    r.num_on[o_z] = s_.has(f_z);
    r.num_on[o_info] = s_.has(f_info);
  }

  void problem(SumstatsResult& r, long line, const std::string& column, std::string value,
               std::string what) const {
    if (r.prob_line.size() >= s_.max_problems) return;
    r.prob_line.push_back(line);
    r.prob_column.push_back(column);
    r.prob_value.push_back(std::move(value));
    r.prob_what.push_back(std::move(what));
  }

  std::string column_label(int f) const {
    if (s_.vcf && !s_.vcf_key[f].empty()) return s_.header[s_.vcf_sample_col] + ":" + s_.vcf_key[f];
    return s_.header[s_.col[f]];
  }

  // Fill val_/has_ for the current line.
  bool collect(SumstatsResult& r) {
    for (int f = 0; f < kFieldCount; ++f) {
      has_[f] = s_.col[f] >= 0;
      val_[f] = has_[f] ? fields_[s_.col[f]] : std::string_view();
    }
    if (!s_.vcf) return true;
    const std::string_view fmt = fields_[s_.vcf_format_col];
    if (fmt != format_cache_) {
      format_cache_.assign(fmt);
      keys_.clear();
      split_colon(format_cache_, keys_);
      key_index_.fill(-1);
      for (int f = 0; f < kFieldCount; ++f) {
        if (s_.vcf_key[f].empty()) continue;
        for (std::size_t k = 0; k < keys_.size(); ++k)
          if (keys_[k] == s_.vcf_key[f]) key_index_[f] = static_cast<int>(k);
      }
    }
    sample_.clear();
    split_colon(fields_[s_.vcf_sample_col], sample_);
    for (int f = 0; f < kFieldCount; ++f) {
      if (s_.vcf_key[f].empty()) continue;
      const int k = key_index_[f];
      if (k >= 0 && static_cast<std::size_t>(k) < sample_.size()) {
        val_[f] = sample_[k];
        has_[f] = true;
      } else if (s_.col[f] < 0) {
        val_[f] = std::string_view();
        has_[f] = true;  // the key is absent on this record: a missing value
      }
    }
    if (has_[f_alt] && val_[f_alt].find(',') != std::string_view::npos) {
      ++r.multiallelic;
      return false;
    }
    return true;
  }

  static void split_colon(std::string_view s, std::vector<std::string_view>& out) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t k = s.find(':', start);
      if (k == std::string_view::npos) { out.push_back(s.substr(start)); break; }
      out.push_back(s.substr(start, k - start));
      start = k + 1;
    }
  }

  double number(SumstatsResult& r, int f, long line) {
    if (!has_[f]) return std::numeric_limits<double>::quiet_NaN();
    double v;
    if (parse_double(val_[f], v) == NumStatus::bad) {
      ++r.unparsable[f];
      problem(r, line, column_label(f), printable(val_[f]), "not a number; set to NA");
    }
    return v;
  }

  static std::string text(std::string_view v) {
    if (is_missing_token(v)) return std::string();
    return std::string(v);
  }

  // Text columns whose values are handed on (pos too: it makes "chr:pos" identifiers):
  // they must be UTF-8 text.
  bool text_ok(std::string& bad_col, std::string& why) const {
    static const int roles[] = {f_snp, f_chr, f_pos, f_effect_allele, f_other_allele, f_ref, f_alt, f_a1,
                                f_phenotype, f_id, f_units, f_gene};
    for (int f : roles) {
      if (has_[f] && !is_valid_text(val_[f])) {
        bad_col = column_label(f);
        why = not_text_message(val_[f]);
        return false;
      }
    }
    return true;
  }

  // Reads one well-formed line; false (with the column and the reason) when the line has
  // to be skipped as malformed.
  bool process(SumstatsResult& r, long line, std::string& bad_col, std::string& why) {
    if (!collect(r)) return true;
    if (!text_ok(bad_col, why)) return false;
    if (has_[f_test] && val_[f_test] != s_.test_keep) { ++r.filtered_test; return true; }

    double p = std::numeric_limits<double>::quiet_NaN();
    if (has_[f_pval]) p = number(r, f_pval, line);
    else if (has_[f_log10p]) p = std::pow(10.0, -number(r, f_log10p, line));
    const bool pfilter = !std::isnan(s_.pval_threshold);
    if (pfilter && !std::isnan(p) && !(p < s_.pval_threshold)) { ++r.filtered_pval; return true; }

    // Identifier: rsid, else chr:pos; the first of a comma-separated list of rsids.
    std::string_view id = has_[f_snp] ? val_[f_snp] : std::string_view();
    if (!id.empty()) {
      const std::size_t comma = id.find(',');
      if (comma != std::string_view::npos) id = id.substr(0, comma);
    }
    std::string snp;
    if (!is_missing_token(id)) {
      snp.assign(id);
    } else if (has_[f_chr] && has_[f_pos] && !is_missing_token(val_[f_chr]) && !is_missing_token(val_[f_pos])) {
      snp.assign(val_[f_chr]);
      snp.push_back(':');
      snp.append(val_[f_pos]);
    }
    if (s_.filter_snps) {
      key_.clear();
      for (char c : snp)
        if (!is_blank_char(c)) key_.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (s_.snps.find(key_) == s_.snps.end()) { ++r.filtered_snp; return true; }
    }

    // Effect size and standard error.
    double beta = number(r, f_beta, line);
    double se = number(r, f_se, line);
    const double eaf = number(r, f_eaf, line);
    const double n = number(r, f_n, line);
    const double z = number(r, f_z, line);
    const bool is_or = has_[f_odds_ratio] && (!has_[f_beta] || is_missing_token(val_[f_beta]));
    if (is_or) {
      const double orv = number(r, f_odds_ratio, line);
      beta = orv > 0 ? std::log(orv) : std::numeric_limits<double>::quiet_NaN();
    }
    if (std::isnan(se) && has_[f_ci_lower] && has_[f_ci_upper]) {
      double lo = number(r, f_ci_lower, line), hi = number(r, f_ci_upper, line);
      if (is_or) {
        lo = lo > 0 ? std::log(lo) : std::numeric_limits<double>::quiet_NaN();
        hi = hi > 0 ? std::log(hi) : std::numeric_limits<double>::quiet_NaN();
      }
      se = (hi - lo) / (2 * s_.ci_z);
    }
    if ((std::isnan(beta) || std::isnan(se)) && !std::isnan(z) && eaf > 0 && eaf < 1 && n > 0) {
      se = 1.0 / std::sqrt(2 * eaf * (1 - eaf) * (n + z * z));
      beta = z * se;
    }
    if (pfilter && std::isnan(p)) {
      // A missing p-value is inferred as format_data() will: 2 * pnorm(-|beta| / se).
      double zz = std::isnan(beta) || std::isnan(se) || !(se > 0) ? z : beta / se;
      const double pi = std::erfc(std::fabs(zz) / std::sqrt(2.0));
      if (!(pi < s_.pval_threshold)) { ++r.filtered_pval; return true; }
    }

    // Store the row.
    ++r.kept;
    if (r.text_on[o_snp]) r.text[o_snp].push_back(std::move(snp));
    if (r.text_on[o_chr]) r.text[o_chr].push_back(text(val_[f_chr]));
    if (r.text_on[o_effect_allele] || r.text_on[o_other_allele]) {
      std::string_view ea, oa;
      if (has_[f_a1]) {
        ea = val_[f_a1];
        if (has_[f_other_allele]) oa = val_[f_other_allele];
        else oa = (val_[f_a1] == val_[f_ref]) ? val_[f_alt] : val_[f_ref];
      } else {
        ea = val_[f_effect_allele];
        oa = val_[f_other_allele];
      }
      if (r.text_on[o_effect_allele]) r.text[o_effect_allele].push_back(text(ea));
      if (r.text_on[o_other_allele]) r.text[o_other_allele].push_back(text(oa));
    }
    if (r.text_on[o_phenotype]) r.text[o_phenotype].push_back(text(val_[f_phenotype]));
    if (r.text_on[o_id]) r.text[o_id].push_back(text(val_[f_id]));
    if (r.text_on[o_units]) r.text[o_units].push_back(text(val_[f_units]));
    if (r.text_on[o_gene]) r.text[o_gene].push_back(text(val_[f_gene]));
    if (r.num_on[o_pos]) r.num[o_pos].push_back(number(r, f_pos, line));
    if (r.num_on[o_beta]) r.num[o_beta].push_back(beta);
    if (r.num_on[o_se]) r.num[o_se].push_back(se);
    if (r.num_on[o_eaf]) r.num[o_eaf].push_back(eaf);
    if (r.num_on[o_pval]) r.num[o_pval].push_back(p);
    if (r.num_on[o_samplesize]) r.num[o_samplesize].push_back(n);
    if (r.num_on[o_ncase]) r.num[o_ncase].push_back(number(r, f_ncase, line));
    if (r.num_on[o_ncontrol]) r.num[o_ncontrol].push_back(number(r, f_ncontrol, line));
    if (r.num_on[o_z]) r.num[o_z].push_back(z);
    if (r.num_on[o_info]) r.num[o_info].push_back(number(r, f_info, line));
    return true;
  }

  SumstatsSpec s_;
  std::function<void()> poll_;
  std::vector<std::string_view> fields_;
  std::array<std::uint32_t, 255> seps_{};
  std::array<std::string_view, kFieldCount> val_;
  std::array<bool, kFieldCount> has_{};
  std::string format_cache_;
  std::vector<std::string_view> keys_, sample_;
  std::array<int, kFieldCount> key_index_{};
  std::string key_;
};

}  // namespace mrkit
