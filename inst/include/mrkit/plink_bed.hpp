// Reader of PLINK 1 binary genotype files (.bed/.bim/.fam), SNP-major mode.
//
// The .bed file starts with the magic bytes 0x6c 0x1b and the mode byte 0x01 (SNP-major);
// each variant then occupies ceil(n_samples / 4) bytes, four genotypes per byte with the
// first sample in the two lowest bits. Codes (relative to .bim column 5 = A1, column 6 = A2):
//   00 = A1/A1, 01 = missing, 10 = A1/A2, 11 = A2/A2.
// The file is memory-mapped where POSIX mmap is available and read into memory elsewhere.
// Genotypes are decoded through 256-entry lookup tables (one byte = four genotypes), either
// to A1 dosages or to three bit planes per variant (A1/A1, het, A2/A2; missing = none set),
// on which pairwise counts are popcounts.
#pragma once
#include "config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
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

inline BimTable read_bim(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot open " + path);
  BimTable b;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::istringstream ss(line);
    std::string chr, id, cm, pos, a1, a2;
    if (!(ss >> chr >> id >> cm >> pos >> a1 >> a2)) {
      throw std::invalid_argument(path + " line " + std::to_string(lineno) +
                                  ": expected 6 columns (chr, id, cM, bp, A1, A2)");
    }
    char* end = nullptr;
    const long long bp = std::strtoll(pos.c_str(), &end, 10);
    if (end == pos.c_str() || *end != '\0') {
      throw std::invalid_argument(path + " line " + std::to_string(lineno) +
                                  ": base-pair position '" + pos + "' is not an integer");
    }
    b.chr.push_back(chr); b.id.push_back(id); b.cm.push_back(std::strtod(cm.c_str(), nullptr));
    b.pos.push_back(bp); b.a1.push_back(a1); b.a2.push_back(a2);
  }
  return b;
}

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
  // 4-bit masks of the four genotypes that are A1/A1, het, A2/A2.
  std::array<std::uint8_t, 256> hom1, het, hom2;
  BedTables() {
    const double code_dosage[4] = {2.0, NA, 1.0, 0.0};
    for (int byte = 0; byte < 256; ++byte) {
      std::uint8_t m1 = 0, mh = 0, m2 = 0;
      for (int k = 0; k < 4; ++k) {
        const int code = (byte >> (2 * k)) & 3;
        dosage[byte][k] = code_dosage[code];
        if (code == 0) m1 |= std::uint8_t(1u << k);
        if (code == 2) mh |= std::uint8_t(1u << k);
        if (code == 3) m2 |= std::uint8_t(1u << k);
      }
      hom1[byte] = m1; het[byte] = mh; hom2[byte] = m2;
    }
  }
};

inline const BedTables& bed_tables() {
  static const BedTables t;
  return t;
}

}  // namespace detail

// Bit planes of one variant: word w holds samples 64w .. 64w+63.
struct GenoBits {
  const std::uint64_t* hom1;
  const std::uint64_t* het;
  const std::uint64_t* hom2;
};

class PlinkBed {
 public:
  // `prefix` is the path without .bed/.bim/.fam.
  explicit PlinkBed(const std::string& prefix) : prefix_(prefix) {
    bim_ = read_bim(prefix + ".bim");
    n_samples_ = count_fam(prefix + ".fam");
    bytes_per_variant_ = (n_samples_ + 3) / 4;
    open_bed(prefix + ".bed");
  }
  ~PlinkBed() { release(); }
  PlinkBed(const PlinkBed&) = delete;
  PlinkBed& operator=(const PlinkBed&) = delete;

  std::size_t n_samples() const { return n_samples_; }
  std::size_t n_variants() const { return bim_.size(); }
  const BimTable& bim() const { return bim_; }
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
  void bits(std::size_t j, std::uint64_t* hom1, std::uint64_t* het, std::uint64_t* hom2) const {
    const auto& t = detail::bed_tables();
    const std::uint8_t* p = variant_bytes(j);
    const std::size_t nw = n_words();
    for (std::size_t w = 0; w < nw; ++w) {
      std::uint64_t m1 = 0, mh = 0, m2 = 0;
      const std::size_t b0 = w * 16;
      const std::size_t b1 = std::min(bytes_per_variant_, b0 + 16);
      for (std::size_t b = b0; b < b1; ++b) {
        const unsigned shift = static_cast<unsigned>(4 * (b - b0));
        m1 |= std::uint64_t(t.hom1[p[b]]) << shift;
        mh |= std::uint64_t(t.het[p[b]]) << shift;
        m2 |= std::uint64_t(t.hom2[p[b]]) << shift;
      }
      // Padding bits of the last byte decode as A1/A1 (code 00): clear them.
      if (w == nw - 1 && (n_samples_ % 64) != 0) {
        const std::uint64_t keep = (std::uint64_t(1) << (n_samples_ % 64)) - 1;
        m1 &= keep; mh &= keep; m2 &= keep;
      }
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
  void open_bed(const std::string& path) {
    const std::size_t expected = 3 + bytes_per_variant_ * bim_.size();
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
  BimTable bim_;
  std::size_t n_samples_ = 0;
  std::size_t bytes_per_variant_ = 0;
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
      : nw_(bed.n_words()), data_(variants.size() * 3 * bed.n_words()) {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      std::uint64_t* base = data_.data() + k * 3 * nw_;
      bed.bits(variants[k], base, base + nw_, base + 2 * nw_);
    }
  }
  GenoBits operator[](std::size_t k) const {
    const std::uint64_t* base = data_.data() + k * 3 * nw_;
    return GenoBits{base, base + nw_, base + 2 * nw_};
  }
  std::size_t n_words() const { return nw_; }

 private:
  std::size_t nw_;
  std::vector<std::uint64_t> data_;
};

}  // namespace mrkit
