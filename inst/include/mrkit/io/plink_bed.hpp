// Reader of PLINK 1 binary genotype files (.bed/.bim/.fam), SNP-major mode.
//
// The .bed file starts with the magic bytes 0x6c 0x1b and the mode byte 0x01 (SNP-major);
// each variant then occupies ceil(n_samples / 4) bytes, four genotypes per byte with the
// first sample in the two lowest bits. Codes (relative to .bim column 5 = A1, column 6 = A2):
//   00 = A1/A1, 01 = missing, 10 = A1/A2, 11 = A2/A2.
// The file is memory-mapped where POSIX mmap is available and read into memory elsewhere.
// Genotypes are decoded to A1 dosages through a 256-entry lookup table (one byte = four
// genotypes), and to three bit planes per variant (A1/A1, het, A2/A2; missing = none set)
// by word-wide bit operations; pairwise genotype counts are then popcounts.
// The .bim is read in blocks into a compact BimIndex (chromosome runs, positions, IDs); the
// full table of strings (BimTable) is read only when asked for.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/io/delimited.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#define MRKIT_HAVE_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace mrkit {

// One row of a .bim file.
struct BimTable {
  std::vector<std::string> chr, id, a1, a2;
  std::vector<double> cm;
  std::vector<long long> pos;
  std::size_t size() const { return id.size(); }
};

namespace detail {

// Calls row(tok, lineno) for each non-blank line of a .bim file, tok[0..5] = its six
// whitespace-separated columns (validated: six columns, text without control bytes or
// invalid UTF-8). The file is read in blocks, so no copy of the whole file is held.
// size_hint(rows) is called once, before the first row, with an estimate of the number of
// rows (from the file size and the first block).
// `poll` (when set) is called before each block, e.g. to check for a user interrupt; it
// stops the reading by throwing.
template <class Row, class SizeHint>
void for_each_bim_row(const std::string& path, Row&& row, SizeHint&& size_hint,
                      const std::function<void()>& poll = nullptr) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::invalid_argument("cannot open " + path);
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  double file_bytes = 0;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const long at = std::ftell(f);
    if (at > 0) file_bytes = static_cast<double>(at);
  }
  std::rewind(f);
  bool first_block = true;
  const std::size_t block = std::size_t(1) << 20;
  std::vector<char> buf(block);
  std::string carry;  // an unfinished line from the previous block
  std::size_t lineno = 0;
  // Byte classes: 0 printable ASCII, 1 field separator (space, tab, CR), 2 anything else
  // (checked as UTF-8 text).
  static const std::array<unsigned char, 256> cls = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = (c > 0x20 && c < 0x7F) ? 0 : 2;
    t[' '] = 1; t['\t'] = 1; t['\r'] = 1;
    return t;
  }();
  auto line = [&](const char* c, const char* eol) {
    ++lineno;
    std::string_view tok[6];
    int nt = 0;
    unsigned other = 0;
    const auto* q = reinterpret_cast<const unsigned char*>(c);
    const auto* e = reinterpret_cast<const unsigned char*>(eol);
    while (q < e && nt < 7) {
      while (q < e && cls[*q] == 1) ++q;
      if (q >= e) break;
      const auto* st = q;
      unsigned k;
      while (q < e && (k = cls[*q]) != 1) { other |= k; ++q; }
      if (nt < 6) tok[nt] = std::string_view(reinterpret_cast<const char*>(st), static_cast<std::size_t>(q - st));
      ++nt;
    }
    if (nt == 0) return;
    if (nt != 6) {
      throw std::invalid_argument(path + " line " + std::to_string(lineno) +
                                  ": expected 6 columns (chr, id, cM, bp, A1, A2)");
    }
    for (int k = 0; other && k < 6; ++k) {
      if (!is_valid_text(tok[k])) {
        throw std::invalid_argument(path + " line " + std::to_string(lineno) + ": column " + std::to_string(k + 1) +
                                    " ('" + printable(tok[k]) + "'): " + not_text_message(tok[k]));
      }
    }
    row(tok, lineno);
  };
  for (;;) {
    if (poll) poll();
    const std::size_t got = std::fread(buf.data(), 1, block, f);
    if (got == 0) break;
    if (first_block) {
      first_block = false;
      const double lines = static_cast<double>(std::count(buf.data(), buf.data() + got, '\n'));
      size_hint(static_cast<std::size_t>(std::max(lines, 1.0) * std::max(file_bytes, 1.0) / static_cast<double>(got) * 1.02) + 16);
    }
    const char* c = buf.data();
    const char* end = c + got;
    while (c < end) {
      const char* eol = static_cast<const char*>(std::memchr(c, '\n', static_cast<std::size_t>(end - c)));
      if (!eol) { carry.append(c, end); break; }
      if (!carry.empty()) {
        carry.append(c, eol);
        line(carry.data(), carry.data() + carry.size());
        carry.clear();
      } else {
        line(c, eol);
      }
      c = eol + 1;
    }
  }
  if (std::ferror(f)) throw std::invalid_argument("cannot read " + path);
  if (!carry.empty()) line(carry.data(), carry.data() + carry.size());
}

template <class Row>
void for_each_bim_row(const std::string& path, Row&& row) {
  for_each_bim_row(path, std::forward<Row>(row), [](std::size_t) {});
}

// Integers stored in the narrow type while every value fits, else in the wide one.
template <class Narrow, class Wide>
class NarrowInts {
 public:
  void reserve(std::size_t n) { if (wide_.empty()) narrow_.reserve(n); else wide_.reserve(n); }
  void push_back(Wide v) {
    if (wide_.empty() && v >= static_cast<Wide>(std::numeric_limits<Narrow>::min()) &&
        v <= static_cast<Wide>(std::numeric_limits<Narrow>::max())) {
      narrow_.push_back(static_cast<Narrow>(v));
      return;
    }
    if (wide_.empty()) {
      wide_.reserve(std::max(narrow_.capacity(), narrow_.size() + 1));
      wide_.assign(narrow_.begin(), narrow_.end());
      std::vector<Narrow>().swap(narrow_);
    }
    wide_.push_back(v);
  }
  Wide operator[](std::size_t j) const { return wide_.empty() ? static_cast<Wide>(narrow_[j]) : wide_[j]; }
  std::size_t size() const { return wide_.empty() ? narrow_.size() : wide_.size(); }

 private:
  std::vector<Narrow> narrow_;
  std::vector<Wide> wide_;
};

// Base-pair position of a .bim row (decimal integer, optional sign).
inline long long bim_position(std::string_view t, const std::string& path, std::size_t lineno) {
  const char* b = t.data();
  const char* e = b + t.size();
  if (b < e && *b == '+') ++b;
  long long bp = 0;
  const auto r = std::from_chars(b, e, bp);
  if (b == e || r.ec != std::errc() || r.ptr != e) {
    throw std::invalid_argument(path + " line " + std::to_string(lineno) + ": base-pair position '" +
                                std::string(t) + "' is not an integer");
  }
  return bp;
}

}  // namespace detail

inline BimTable read_bim(const std::string& path) {
  BimTable b;
  detail::for_each_bim_row(path, [&](const std::string_view* tok, std::size_t lineno) {
    const long long bp = detail::bim_position(tok[3], path, lineno);
    b.chr.emplace_back(tok[0]);
    b.id.emplace_back(tok[1]);
    b.cm.push_back(std::strtod(std::string(tok[2]).c_str(), nullptr));
    b.pos.push_back(bp);
    b.a1.emplace_back(tok[4]);
    b.a2.emplace_back(tok[5]);
  });
  return b;
}

// The columns of a .bim that clumping and look-ups need, in compact arrays: chromosome
// codes (names once), positions, the variant IDs in one buffer, and an open-addressing
// hash table from ID to row (the first row when an ID repeats). About 8 bytes per variant
// (4-byte positions and ID ends while they fit), the IDs' characters, and 8-byte hash
// slots at a load of 0.35-0.7; against ~150 bytes per variant for the table of strings.
class BimIndex {
 public:
  static BimIndex read(const std::string& path, const std::function<void()>& poll = nullptr) {
    BimIndex x;
    std::uint32_t last = 0;
    std::size_t expect = 0;
    detail::for_each_bim_row(
        path,
        [&](const std::string_view* tok, std::size_t lineno) {
          const long long bp = detail::bim_position(tok[3], path, lineno);
          if (x.chr_names_.empty() || tok[0] != x.chr_names_[last]) {
            last = x.chr_code_of(tok[0]);
            x.run_start_.push_back(x.pos_.size());
            x.run_code_.push_back(last);
          }
          x.pos_.push_back(bp);
          x.ids_.append(tok[1].data(), tok[1].size());
          x.id_end_.push_back(static_cast<long long>(x.ids_.size()));
          if (x.pos_.size() == 1024 && expect > 1024) {
            x.ids_.reserve(static_cast<std::size_t>(static_cast<double>(x.ids_.size()) / 1024.0 * expect * 1.05));
          }
        },
        [&](std::size_t rows) {
          expect = rows;
          x.pos_.reserve(rows);
          x.id_end_.reserve(rows);
        },
        poll);
    // The estimate errs high (early lines are shorter); a copy to trim it would double the
    // peak, so only a gross overestimate is trimmed.
    if (x.ids_.capacity() > 2 * x.ids_.size() + 4096) x.ids_.shrink_to_fit();
    return x;
  }

  std::size_t size() const { return pos_.size(); }
  // Chromosome code of row j (chromosomes are stored as runs of equal names).
  std::uint32_t chr(std::size_t j) const {
    const auto it = std::upper_bound(run_start_.begin(), run_start_.end(), j);
    return run_code_[static_cast<std::size_t>(it - run_start_.begin()) - 1];
  }
  const std::string& chr_name(std::uint32_t code) const { return chr_names_[code]; }
  long long pos(std::size_t j) const { return pos_[j]; }
  std::string_view id(std::size_t j) const {
    const std::size_t from = j == 0 ? 0 : static_cast<std::size_t>(id_end_[j - 1]);
    return std::string_view(ids_.data() + from, static_cast<std::size_t>(id_end_[j]) - from);
  }
  // Rows of the first variants with these IDs (-1 when none). A look-up scans the IDs once
  // against a small table of the keys (~17 ms per million variants); a hash table of all
  // IDs (8 bytes x 1.4-2.9 per variant) is built only at the 8th look-up on the same panel,
  // for sessions that look up often, and used from then on.
  std::vector<long> find_all(const std::vector<std::string_view>& keys) const {
    std::lock_guard<std::mutex> lock(*table_mutex_);
    std::vector<long> out(keys.size(), -1);
    if (slots_.empty() && ++lookups_ < 8) {
      scan(keys, out);
      return out;
    }
    if (slots_.empty()) build_table();
    for (std::size_t k = 0; k < keys.size(); ++k) out[k] = find_built(keys[k]);
    return out;
  }
  // Row of the first variant with this ID, -1 when none.
  long find(std::string_view key) const { return find_all({key})[0]; }

 private:
  long find_built(std::string_view key) const {
    if (slots_.empty()) return -1;
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t h = hash(key);
    const std::uint64_t tag = h & tag_mask;
    for (std::size_t s = static_cast<std::size_t>(h) & mask;; s = (s + 1) & mask) {
      const std::uint64_t e = slots_[s];
      if (e == empty_slot) return -1;
      const std::uint32_t r = static_cast<std::uint32_t>(e);
      if ((e & tag_mask) == tag && id(r) == key) return static_cast<long>(r);
    }
  }

  // One pass over all IDs against an open-addressing table of the (distinct) keys.
  void scan(const std::vector<std::string_view>& keys, std::vector<long>& out) const {
    std::size_t cap = 16;
    while (cap < 2 * keys.size()) cap <<= 1;
    const std::size_t mask = cap - 1;
    std::vector<std::uint64_t> kh(keys.size());
    std::vector<std::uint32_t> table(cap, 0xFFFFFFFFu);  // key index
    std::vector<std::uint32_t> same(keys.size(), 0xFFFFFFFFu);  // next key with the same ID
    for (std::size_t k = 0; k < keys.size(); ++k) {
      kh[k] = hash(keys[k]);
      for (std::size_t s = static_cast<std::size_t>(kh[k]) & mask;; s = (s + 1) & mask) {
        const std::uint32_t e = table[s];
        if (e == 0xFFFFFFFFu) { table[s] = static_cast<std::uint32_t>(k); break; }
        if (kh[e] == kh[k] && keys[e] == keys[k]) {  // a repeated key: chain it
          same[k] = same[e];
          same[e] = static_cast<std::uint32_t>(k);
          break;
        }
      }
    }
    std::size_t left = keys.size();
    for (std::size_t j = 0; j < size() && left > 0; ++j) {
      const std::string_view v = id(j);
      const std::uint64_t h = hash(v);
      for (std::size_t s = static_cast<std::size_t>(h) & mask;; s = (s + 1) & mask) {
        const std::uint32_t e = table[s];
        if (e == 0xFFFFFFFFu) break;
        if (kh[e] == h && keys[e] == v) {
          if (out[e] < 0) {
            for (std::uint32_t k = e; k != 0xFFFFFFFFu; k = same[k]) { out[k] = static_cast<long>(j); --left; }
          }
          break;
        }
      }
    }
  }

  // A slot holds the upper 32 bits of the ID's hash (compared before the ID itself) and
  // the row in the lower 32 bits.
  static constexpr std::uint64_t empty_slot = ~std::uint64_t(0);
  static constexpr std::uint64_t tag_mask = 0xFFFFFFFF00000000ULL;

  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, then a 64-bit finaliser
    for (const char c : s) { h ^= static_cast<unsigned char>(c); h *= 1099511628211ULL; }
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL; h ^= h >> 33;
    return h;
  }

  std::uint32_t chr_code_of(std::string_view name) {
    for (std::size_t k = 0; k < chr_names_.size(); ++k) {
      if (chr_names_[k] == name) return static_cast<std::uint32_t>(k);
    }
    chr_names_.emplace_back(name);
    return static_cast<std::uint32_t>(chr_names_.size() - 1);
  }

  // Load factor at most 0.7; hashes of a batch of IDs are computed and their slots
  // prefetched before they are inserted (the table is larger than the caches).
  void build_table() const {
    const std::size_t n = size();
    if (n >= 0xFFFFFFFFu) throw std::invalid_argument("PLINK panel: too many variants (at most 4,294,967,294)");
    std::size_t cap = 16;
    while (cap * 7 < n * 10) cap <<= 1;
    slots_.assign(cap, empty_slot);
    const std::size_t mask = cap - 1;
    const std::size_t batch = 16;
    std::uint64_t h[batch];
    for (std::size_t j0 = 0; j0 < n; j0 += batch) {
      const std::size_t nb = std::min(batch, n - j0);
      for (std::size_t b = 0; b < nb; ++b) {
        h[b] = hash(id(j0 + b));
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(&slots_[static_cast<std::size_t>(h[b]) & mask]);
#endif
      }
      for (std::size_t b = 0; b < nb; ++b) {
        const std::size_t j = j0 + b;
        const std::uint64_t tag = h[b] & tag_mask;
        for (std::size_t s = static_cast<std::size_t>(h[b]) & mask;; s = (s + 1) & mask) {
          const std::uint64_t e = slots_[s];
          if (e == empty_slot) { slots_[s] = tag | static_cast<std::uint64_t>(j); break; }
          // a repeated ID: the first row keeps it
          if ((e & tag_mask) == tag && id(static_cast<std::uint32_t>(e)) == id(j)) break;
        }
      }
    }
  }

  std::vector<std::string> chr_names_;
  std::vector<std::size_t> run_start_;  // first row of each run of one chromosome
  std::vector<std::uint32_t> run_code_;
  detail::NarrowInts<std::int32_t, long long> pos_;
  std::string ids_;
  detail::NarrowInts<std::uint32_t, long long> id_end_;
  mutable std::vector<std::uint64_t> slots_;
  mutable std::size_t lookups_ = 0;
  std::unique_ptr<std::mutex> table_mutex_ = std::make_unique<std::mutex>();
};

inline std::size_t count_fam(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot open " + path);
  std::size_t n = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
  }
  return n;
}

namespace detail {

// Lookup tables from one .bed byte (four genotypes).
struct BedTables {
  // A1 dosage of each of the four genotypes (NaN = missing).
  std::array<std::array<double, 4>, 256> dosage;
  BedTables() {
    const double code_dosage[4] = {2.0, NA, 1.0, 0.0};
    for (int byte = 0; byte < 256; ++byte) {
      for (int k = 0; k < 4; ++k) dosage[byte][k] = code_dosage[(byte >> (2 * k)) & 3];
    }
  }
};

inline const BedTables& bed_tables() {
  static const BedTables t;
  return t;
}

}  // namespace detail

// Number of set bits in n words; on x86-64 through the POPCNT instruction when the CPU
// has it (chosen at run time: the package is built without -march flags).
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("popcnt"))) inline std::uint64_t count_bits_popcnt(const std::uint64_t* x, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += static_cast<std::uint64_t>(__builtin_popcountll(x[w]));
  return c;
}
inline std::uint64_t count_bits(const std::uint64_t* x, std::size_t n) {
  static const bool hw = __builtin_cpu_supports("popcnt");
  if (hw) return count_bits_popcnt(x, n);
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) c += static_cast<std::uint64_t>(__builtin_popcountll(x[w]));
  return c;
}
#else
inline std::uint64_t count_bits(const std::uint64_t* x, std::size_t n) {
  std::uint64_t c = 0;
  for (std::size_t w = 0; w < n; ++w) {
    std::uint64_t v = x[w];
    v = v - ((v >> 1) & 0x5555555555555555ULL);
    v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    c += (v * 0x0101010101010101ULL) >> 56;
  }
  return c;
}
#endif

// Bit planes of one variant: word w holds samples 64w .. 64w+63 (see PlinkBed::bits()).
// Also the number of samples in each class; `complete` when no genotype is missing.
struct GenoBits {
  const std::uint64_t* hom1;
  const std::uint64_t* het;
  const std::uint64_t* hom2;
  std::uint64_t n_hom1, n_het, n_hom2;
  bool complete;
};

class PlinkBed {
 public:
  // `prefix` is the path without .bed/.bim/.fam.
  // The .bim is read into a compact BimIndex; the full table of strings (bim()) is read
  // only when first asked for.
  // `poll` (optional) is called while the .bim is read (see for_each_bim_row).
  explicit PlinkBed(const std::string& prefix, const std::function<void()>& poll = nullptr)
      : prefix_(prefix) {
    index_ = BimIndex::read(prefix + ".bim", poll);
    n_samples_ = count_fam(prefix + ".fam");
    bytes_per_variant_ = (n_samples_ + 3) / 4;
    const std::size_t base = n_words() == 0 ? 0 : (n_words() - 1) * 64;
    for (unsigned k = 0; k < 32; ++k) {
      if (base + k < n_samples_) last_word_keep_ |= std::uint64_t(1) << (2 * k);
      if (base + 32 + k < n_samples_) last_word_keep_ |= std::uint64_t(1) << (2 * k + 1);
    }
    open_bed(prefix + ".bed");
  }
  ~PlinkBed() { release(); }
  PlinkBed(const PlinkBed&) = delete;
  PlinkBed& operator=(const PlinkBed&) = delete;

  std::size_t n_samples() const { return n_samples_; }
  std::size_t n_variants() const { return index_.size(); }
  const BimIndex& bim_index() const { return index_; }
  // The full .bim (all six columns as strings), read on first use and then kept.
  const BimTable& bim() const {
    std::call_once(bim_once_, [&] {
      auto b = std::make_unique<BimTable>(read_bim(prefix_ + ".bim"));
      if (b->size() != index_.size()) throw std::invalid_argument(prefix_ + ".bim changed while in use");
      bim_ = std::move(b);
    });
    return *bim_;
  }

  // Lets the kernel drop the mapped pages of variants first..last (inclusive) from this
  // process's resident memory (they stay in the page cache and are mapped again when read),
  // so that passing over a large panel does not keep it resident.
  void release_pages(std::size_t first, std::size_t last) const {
#ifdef MRKIT_HAVE_MMAP
    if (!map_ || first > last || last >= n_variants()) return;
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::size_t from = 3 + first * bytes_per_variant_;
    std::size_t to = 3 + (last + 1) * bytes_per_variant_;
    from = (from + page - 1) / page * page;
    to = to / page * page;
    if (to > from) ::madvise(static_cast<char*>(map_) + from, to - from, MADV_DONTNEED);
#else
    (void)first; (void)last;
#endif
  }
  std::size_t n_words() const { return (n_samples_ + 63) / 64; }

  const std::uint8_t* variant_bytes(std::size_t j) const {
    if (j >= n_variants()) throw std::out_of_range("variant index out of range");
    return data_ + 3 + j * bytes_per_variant_;
  }

  // A1 dosages (2, 1, 0; NaN when missing) of variant j into out[0 .. n_samples).
  void dosages(std::size_t j, double* out) const {
    const auto& t = detail::bed_tables();
    const std::uint8_t* p = variant_bytes(j);
    std::size_t i = 0;
    for (std::size_t b = 0; b < bytes_per_variant_; ++b) {
      const auto& d = t.dosage[p[b]];
      for (int k = 0; k < 4 && i < n_samples_; ++k, ++i) out[i] = d[k];
    }
  }

  // The three bit planes of variant j written to hom1/het/hom2 (n_words() words each).
  // Word w covers samples 64w .. 64w+63 in an interleaved order that is the same for every
  // variant (bit 2k: sample 64w + k; bit 2k+1: sample 64w + 32 + k), so that the low and
  // high code bits of 32 + 32 genotypes are separated with a few word operations and no
  // bit compaction. Pairwise counts do not depend on the order of samples.
  void bits(std::size_t j, std::uint64_t* hom1, std::uint64_t* het, std::uint64_t* hom2) const {
    const std::uint8_t* p = variant_bytes(j);
    const std::size_t nw = n_words();
    const std::uint64_t even = 0x5555555555555555ULL;
    for (std::size_t w = 0; w < nw; ++w) {
      const std::uint64_t x0 = load_bytes(p, w * 16, bytes_per_variant_);
      const std::uint64_t x1 = load_bytes(p, w * 16 + 8, bytes_per_variant_);
      const std::uint64_t lo = (x0 & even) | ((x1 & even) << 1);
      const std::uint64_t hi = ((x0 >> 1) & even) | (((x1 >> 1) & even) << 1);
      std::uint64_t m1 = ~(lo | hi), mh = hi & ~lo, m2 = hi & lo;
      // Padding genotypes (code 00 in the last byte, or beyond it) read as A1/A1: clear them.
      if (w == nw - 1) { m1 &= last_word_keep_; mh &= last_word_keep_; m2 &= last_word_keep_; }
      hom1[w] = m1; het[w] = mh; hom2[w] = m2;
    }
  }

  // A1 allele frequency among non-missing genotypes and the number of non-missing samples.
  double a1_frequency(std::size_t j, std::size_t* n_obs = nullptr) const {
    const auto& t = detail::bed_tables();
    const std::uint8_t* p = variant_bytes(j);
    double sum = 0.0;
    std::size_t n = 0, i = 0;
    for (std::size_t b = 0; b < bytes_per_variant_; ++b) {
      const auto& d = t.dosage[p[b]];
      for (int k = 0; k < 4 && i < n_samples_; ++k, ++i) {
        if (!std::isnan(d[k])) { sum += d[k]; ++n; }
      }
    }
    if (n_obs) *n_obs = n;
    return n == 0 ? NA : sum / (2.0 * static_cast<double>(n));
  }

  // Standardised A1 dosages (mean 0, variance 1 over non-missing samples; missing -> 0).
  // Returns false (and leaves zeros) for a monomorphic or all-missing variant.
  bool standardised(std::size_t j, double* out) const {
    dosages(j, out);
    double s = 0.0, ss = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < n_samples_; ++i) {
      if (!std::isnan(out[i])) { s += out[i]; ss += out[i] * out[i]; ++n; }
    }
    const double mean = n ? s / n : 0.0;
    const double var = n ? ss / n - mean * mean : 0.0;
    if (n == 0 || var <= 0.0) {
      for (std::size_t i = 0; i < n_samples_; ++i) out[i] = 0.0;
      return false;
    }
    const double inv = 1.0 / std::sqrt(var);
    for (std::size_t i = 0; i < n_samples_; ++i) {
      out[i] = std::isnan(out[i]) ? 0.0 : (out[i] - mean) * inv;
    }
    return true;
  }

 private:
  // Eight bytes from offset `from` as a little-endian word; bytes past `size` read as 0.
  static std::uint64_t load_bytes(const std::uint8_t* p, std::size_t from, std::size_t size) {
    std::uint64_t x = 0;
    if (from + 8 <= size) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      std::memcpy(&x, p + from, 8);
#else
      for (unsigned b = 0; b < 8; ++b) x |= std::uint64_t(p[from + b]) << (8 * b);
#endif
    } else {
      for (std::size_t b = from; b < size; ++b) x |= std::uint64_t(p[b]) << (8 * (b - from));
    }
    return x;
  }

  void open_bed(const std::string& path) {
    const std::size_t expected = 3 + bytes_per_variant_ * index_.size();
#ifdef MRKIT_HAVE_MMAP
    fd_ = ::open(path.c_str(), O_RDONLY);
    if (fd_ < 0) throw std::invalid_argument("cannot open " + path);
    struct stat st;
    if (::fstat(fd_, &st) != 0) { release(); throw std::invalid_argument("cannot stat " + path); }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      if (m == MAP_FAILED) { release(); throw std::invalid_argument("cannot map " + path); }
      map_ = m;
      data_ = static_cast<const std::uint8_t*>(m);
    }
#else
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot open " + path);
    buffer_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    size_ = buffer_.size();
    data_ = reinterpret_cast<const std::uint8_t*>(buffer_.data());
#endif
    if (size_ < 3 || data_[0] != 0x6c || data_[1] != 0x1b) {
      release();
      throw std::invalid_argument(path + " is not a PLINK 1 .bed file (wrong magic bytes)");
    }
    if (data_[2] != 0x01) {
      release();
      throw std::invalid_argument(path + " is in individual-major mode; only SNP-major is supported");
    }
    if (size_ != expected) {
      release();
      throw std::invalid_argument(path + " has " + std::to_string(size_) + " bytes; the .bim/.fam imply " +
                                  std::to_string(expected));
    }
  }

  void release() {
#ifdef MRKIT_HAVE_MMAP
    if (map_) { ::munmap(map_, size_); map_ = nullptr; }
    if (fd_ >= 0) { ::close(fd_); fd_ = -1; }
#endif
    data_ = nullptr;
  }

  std::string prefix_;
  BimIndex index_;
  mutable std::once_flag bim_once_;
  mutable std::unique_ptr<BimTable> bim_;
  std::size_t n_samples_ = 0;
  std::size_t bytes_per_variant_ = 0;
  std::uint64_t last_word_keep_ = 0;
  std::size_t size_ = 0;
  const std::uint8_t* data_ = nullptr;
#ifdef MRKIT_HAVE_MMAP
  int fd_ = -1;
  void* map_ = nullptr;
#else
  std::vector<char> buffer_;
#endif
};

// Bit planes of a set of variants in one contiguous buffer.
class GenoBitSet {
 public:
  GenoBitSet(const PlinkBed& bed, const std::vector<std::size_t>& variants)
      : nw_(bed.n_words()), data_(variants.size() * 3 * bed.n_words()), counts_(3 * variants.size()),
        complete_(variants.size()) {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      std::uint64_t* base = data_.data() + k * 3 * nw_;
      bed.bits(variants[k], base, base + nw_, base + 2 * nw_);
      std::uint64_t total = 0;
      for (int c = 0; c < 3; ++c) {
        const std::uint64_t n = count_bits(base + c * nw_, nw_);
        counts_[3 * k + c] = n;
        total += n;
      }
      complete_[k] = total == bed.n_samples();
    }
  }
  GenoBits operator[](std::size_t k) const {
    const std::uint64_t* base = data_.data() + k * 3 * nw_;
    return GenoBits{base, base + nw_, base + 2 * nw_, counts_[3 * k], counts_[3 * k + 1], counts_[3 * k + 2],
                    complete_[k] != 0};
  }
  std::size_t n_words() const { return nw_; }

 private:
  std::size_t nw_;
  std::vector<std::uint64_t> data_;
  std::vector<std::uint64_t> counts_;
  std::vector<char> complete_;
};

// The bit planes of one variant at a time, decoded into a buffer of its own.
class GenoBitsBuffer {
 public:
  explicit GenoBitsBuffer(const PlinkBed& bed) : bed_(bed), nw_(bed.n_words()), data_(3 * bed.n_words()) {}
  GenoBits load(std::size_t variant) {
    std::uint64_t* base = data_.data();
    bed_.bits(variant, base, base + nw_, base + 2 * nw_);
    std::uint64_t n[3];
    for (int c = 0; c < 3; ++c) n[c] = count_bits(base + c * nw_, nw_);
    return GenoBits{base, base + nw_, base + 2 * nw_, n[0], n[1], n[2], n[0] + n[1] + n[2] == bed_.n_samples()};
  }

 private:
  const PlinkBed& bed_;
  std::size_t nw_;
  std::vector<std::uint64_t> data_;
};

}  // namespace mrkit
