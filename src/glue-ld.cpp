// Glue for the LD reference panel: .bim contents and id look-up, LD matrices, clumping,
// proxy search (best proxies, LD partners) and the panel simulator. Indices cross the
// boundary 0-based (-1 = absent); R converts.
#include "glue-interrupt.h"
#include <mrkit/ld/clump.hpp>
#include <mrkit/ld.hpp>
#include <mrkit/io/plink_bed.hpp>
#include <mrkit/ld/simulate_ld.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>
#ifndef _WIN32
#include <sys/stat.h>
#endif

namespace {

// The last panel opened, kept while its three files are unchanged (same size and
// modification time), so that a screen's many proxy searches and frequency look-ups do
// not parse a large .bim again on every call. Not on Windows, where an open .bed could
// not be deleted.
std::unique_ptr<mrkit::PlinkBed> cached;
std::string cached_key;

const mrkit::PlinkBed& open_panel(const std::string& prefix, std::unique_ptr<mrkit::PlinkBed>& fresh) {
#ifndef _WIN32
  std::string key = prefix;
  for (const char* ext : {".bed", ".bim", ".fam"}) {
    struct stat st;
    if (stat((prefix + ext).c_str(), &st) != 0) { key.clear(); break; }
    key += "|" + std::to_string(static_cast<long long>(st.st_size)) + ":" +
           std::to_string(static_cast<long long>(st.st_mtim.tv_sec)) + "." +
           std::to_string(static_cast<long long>(st.st_mtim.tv_nsec));
  }
  if (!key.empty()) {
    if (!cached || key != cached_key) {
      cached.reset();
      cached = std::make_unique<mrkit::PlinkBed>(prefix, glue::poll_interrupt);
      cached_key = key;
    }
    return *cached;
  }
#endif
  fresh = std::make_unique<mrkit::PlinkBed>(prefix, glue::poll_interrupt);
  return *fresh;
}

// 0-based .bim rows of `ids` (the first row of a repeated ID, as match()); -1 when absent
// or NA.
std::vector<long> panel_rows_of(const mrkit::PlinkBed& bed, const Rcpp::CharacterVector& ids) {
  std::vector<std::string_view> keys;
  std::vector<std::size_t> at;
  for (R_xlen_t k = 0; k < ids.size(); ++k) {
    SEXP id = STRING_ELT(ids, k);
    if (id == NA_STRING) continue;
    keys.emplace_back(CHAR(id), static_cast<std::size_t>(LENGTH(id)));
    at.push_back(static_cast<std::size_t>(k));
  }
  const std::vector<long> found = bed.bim_index().find_all(keys);
  std::vector<long> rows(static_cast<std::size_t>(ids.size()), -1);
  for (std::size_t k = 0; k < at.size(); ++k) rows[at[k]] = found[k];
  return rows;
}

std::vector<std::size_t> to_size_index(const std::vector<int>& idx, std::size_t n) {
  std::vector<std::size_t> out(idx.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    if (idx[k] < 0 || static_cast<std::size_t>(idx[k]) >= n) throw std::invalid_argument("variant index out of range");
    out[k] = static_cast<std::size_t>(idx[k]);
  }
  return out;
}

}  // namespace

// [[Rcpp::export]]
Rcpp::List cpp_panel_info(std::string prefix) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const mrkit::BimTable& b = bed.bim();
  Rcpp::NumericVector pos(b.pos.begin(), b.pos.end());
  return Rcpp::List::create(
      Rcpp::Named("chr") = b.chr, Rcpp::Named("SNP") = b.id, Rcpp::Named("pos") = pos,
      Rcpp::Named("A1") = b.a1, Rcpp::Named("A2") = b.a2,
      Rcpp::Named("n_samples") = static_cast<double>(bed.n_samples()));
}

// The .bim rows `idx` (0-based): chr, SNP, pos, A1, A2.
// [[Rcpp::export]]
Rcpp::List cpp_panel_rows(std::string prefix, std::vector<int> idx) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const auto v = to_size_index(idx, bed.n_variants());
  const mrkit::BimTable& b = bed.bim();
  const std::size_t n = v.size();
  Rcpp::CharacterVector chr(n), id(n), a1(n), a2(n);
  Rcpp::NumericVector pos(n);
  for (std::size_t k = 0; k < n; ++k) {
    chr[k] = b.chr[v[k]]; id[k] = b.id[v[k]]; a1[k] = b.a1[v[k]]; a2[k] = b.a2[v[k]];
    pos[k] = static_cast<double>(b.pos[v[k]]);
  }
  return Rcpp::List::create(Rcpp::Named("chr") = chr, Rcpp::Named("SNP") = id, Rcpp::Named("pos") = pos,
                            Rcpp::Named("A1") = a1, Rcpp::Named("A2") = a2);
}

// [[Rcpp::export]]
Rcpp::NumericVector cpp_panel_freq(std::string prefix, std::vector<int> idx) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const auto v = to_size_index(idx, bed.n_variants());
  Rcpp::NumericVector out(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) out[k] = bed.a1_frequency(v[k]);
  return out;
}

// [[Rcpp::export]]
Rcpp::NumericMatrix cpp_ld_matrix(std::string prefix, std::vector<int> idx, std::string measure,
                                  int threads) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const auto v = to_size_index(idx, bed.n_variants());
  const std::size_t n = v.size();
  Rcpp::NumericMatrix out(n, n);
  if (measure == "r") {
    const std::vector<double> r = mrkit::ld_r_matrix(bed, v, threads);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) out(i, j) = r[i * n + j];
  } else {
    const mrkit::GenoBitSet bits(bed, v);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        out(i, j) = mrkit::haplotype_r2(mrkit::pair_table(bits[i], bits[j], bits.n_words()));
  }
  return out;
}

// Opens (or finds cached) the panel: its number of variants and samples.
// [[Rcpp::export]]
Rcpp::NumericVector cpp_panel_dims(std::string prefix) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  return Rcpp::NumericVector::create(Rcpp::Named("n_variants") = static_cast<double>(bed.n_variants()),
                                     Rcpp::Named("n_samples") = static_cast<double>(bed.n_samples()));
}

// Clumping of the variants `snp` (looked up in the panel's .bim by ID; the first row of a
// repeated ID, as match()). Returns the status, the 0-based input row of the absorbing
// index variant (-1 = none) and the r^2 with it.
// [[Rcpp::export]]
Rcpp::List cpp_clump(std::string prefix, Rcpp::CharacterVector snp, std::vector<double> pval,
                     std::vector<int> group, double kb, double r2, double p1, int threads) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  mrkit::ClumpSettings set;
  set.kb = kb; set.r2 = r2; set.p1 = p1; set.threads = threads;
  set.interrupted = glue::user_interrupted;
  const std::vector<long> pi = panel_rows_of(bed, snp);
  for (std::size_t k = 0; k < pval.size(); ++k) {
    if (Rcpp::NumericVector::is_na(pval[k])) pval[k] = mrkit::NA;
  }
  mrkit::ClumpResult res;
  try {
    res = mrkit::clump(bed, pi, pval, group, set);
  } catch (const mrkit::Interrupted&) {
    throw Rcpp::internal::InterruptedException();
  }
  Rcpp::NumericVector index_row(res.index_row.begin(), res.index_row.end());
  return Rcpp::List::create(Rcpp::Named("status") = res.status,
                            Rcpp::Named("index_row") = index_row,
                            Rcpp::Named("r2") = res.r2);
}

// [[Rcpp::export]]
Rcpp::List cpp_best_proxies(std::string prefix, std::vector<int> targets, std::vector<int> candidates,
                            double window_bp, double rsq, int threads) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const auto t = to_size_index(targets, bed.n_variants());
  const auto c = to_size_index(candidates, bed.n_variants());
  const std::vector<mrkit::ProxyHit> hits = mrkit::best_proxies(bed, t, c, window_bp, rsq, threads);
  Rcpp::NumericVector cand(hits.size()), r(hits.size());
  for (std::size_t k = 0; k < hits.size(); ++k) {
    cand[k] = hits[k].candidate;
    r[k] = hits[k].r;
  }
  return Rcpp::List::create(Rcpp::Named("candidate") = cand, Rcpp::Named("r") = r);
}

// Rows (1-based, NA when absent) of `ids` in the panel's .bim, like match(ids, bim$SNP).
// [[Rcpp::export]]
Rcpp::IntegerVector cpp_panel_match(std::string prefix, Rcpp::CharacterVector ids) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const std::vector<long> rows = panel_rows_of(bed, ids);
  Rcpp::IntegerVector out(ids.size(), NA_INTEGER);
  for (std::size_t k = 0; k < rows.size(); ++k)
    if (rows[k] >= 0) out[static_cast<R_xlen_t>(k)] = static_cast<int>(rows[k] + 1);
  return out;
}

// Every panel variant within window_bp of each target (0-based panel indices) with dosage
// r^2 >= rsq: the possible LD proxies. Returns 0-based target positions, panel indices, r.
// [[Rcpp::export]]
Rcpp::List cpp_ld_partners(std::string prefix, std::vector<int> targets, double window_bp, double rsq,
                           int threads) {
  std::unique_ptr<mrkit::PlinkBed> own;
  const mrkit::PlinkBed& bed = open_panel(prefix, own);
  const auto t = to_size_index(targets, bed.n_variants());
  const std::vector<mrkit::LdPartner> found = mrkit::ld_partners(bed, t, window_bp, rsq, threads);
  Rcpp::IntegerVector target(found.size()), variant(found.size());
  Rcpp::NumericVector r(found.size());
  for (std::size_t k = 0; k < found.size(); ++k) {
    target[k] = static_cast<int>(found[k].target);
    variant[k] = static_cast<int>(found[k].variant);
    r[k] = found[k].r;
  }
  return Rcpp::List::create(Rcpp::Named("target") = target, Rcpp::Named("variant") = variant,
                            Rcpp::Named("r") = r);
}

// [[Rcpp::export]]
void cpp_simulate_bed(std::string path, double n_individuals, std::vector<double> block_start,
                      std::vector<double> freq, std::vector<int> orientation,
                      std::vector<double> switch_prob, Rcpp::List options) {
  mrkit::PanelSpec s;
  s.n_individuals = static_cast<std::size_t>(n_individuals);
  for (double b : block_start) s.block_start.push_back(static_cast<std::size_t>(b));
  s.freq = freq; s.orientation = orientation; s.switch_prob = switch_prob;
  s.missing_rate = Rcpp::as<double>(options["missing_rate"]);
  s.seed = static_cast<std::uint64_t>(Rcpp::as<double>(options["seed"]));
  s.threads = Rcpp::as<int>(options["threads"]);
  mrkit::simulate_bed(path, s);
}
