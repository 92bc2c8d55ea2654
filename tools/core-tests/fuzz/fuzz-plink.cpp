// libFuzzer target: a PLINK 1 panel. Input layout: 2 bytes (little-endian) length of the
// .bim, 2 bytes length of the .fam, the .bim, the .fam, and the rest is the .bed. A panel
// that opens is then decoded in full: dosages, frequencies, bit planes, LD of the first pairs.
#include "fuzz-util.hpp"

#include <mrkit/ld.hpp>
#include <mrkit/io/plink_bed.hpp>

#include <algorithm>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  static const std::string prefix = fuzzutil::scratch_path("plink");
  std::size_t nbim = data[0] | (std::size_t(data[1]) << 8), nfam = data[2] | (std::size_t(data[3]) << 8);
  data += 4;
  size -= 4;
  if (nbim > size) nbim = size;
  if (nfam > size - nbim) nfam = size - nbim;
  fuzzutil::write_file(prefix + ".bim", data, nbim);
  fuzzutil::write_file(prefix + ".fam", data + nbim, nfam);
  fuzzutil::write_file(prefix + ".bed", data + nbim + nfam, size - nbim - nfam);
  try {
    const mrkit::PlinkBed bed(prefix);
    for (const auto* col : {&bed.bim().chr, &bed.bim().id, &bed.bim().a1, &bed.bim().a2})
      for (const auto& v : *col)
        if (!mrkit::is_valid_text(v)) std::abort();
    // The compact index agrees with the full table; look-ups give the first row of an ID.
    const mrkit::BimIndex& idx = bed.bim_index();
    const mrkit::BimTable& tab = bed.bim();
    if (idx.size() != tab.size()) std::abort();
    std::vector<std::string_view> keys;
    for (std::size_t j = 0; j < idx.size() && j < 64; ++j) {
      if (idx.id(j) != tab.id[j] || idx.pos(j) != tab.pos[j] || idx.chr_name(idx.chr(j)) != tab.chr[j]) std::abort();
      keys.push_back(tab.id[j]);
    }
    for (int round = 0; round < 9; ++round) {  // scans, then the hash table (8th look-up on)
      const std::vector<long> rows = idx.find_all(keys);
      for (std::size_t k = 0; k < keys.size(); ++k) {
        const auto first = std::find(tab.id.begin(), tab.id.end(), keys[k]) - tab.id.begin();
        if (rows[k] != static_cast<long>(first)) std::abort();
      }
    }
    const std::size_t nv = bed.n_variants(), n = bed.n_samples();
    if (n > 4096 || nv > 4096) return 0;  // keep one input fast
    std::vector<double> d(n);
    std::vector<std::size_t> all;
    for (std::size_t j = 0; j < nv; ++j) {
      bed.dosages(j, d.data());
      for (double x : d)
        if (!(x == 0 || x == 1 || x == 2 || x != x)) std::abort();
      const double f = bed.a1_frequency(j);
      if (f < 0 || f > 1) std::abort();
      bed.standardised(j, d.data());
      all.push_back(j);
    }
    const mrkit::GenoBitSet bits(bed, all);
    for (std::size_t j = 0; j < nv; ++j) {
      const auto g = bits[j];
      if (g.n_hom1 + g.n_het + g.n_hom2 > n) std::abort();
    }
    for (std::size_t j = 0; j + 1 < nv && j < 8; ++j) {
      const auto t = mrkit::pair_table(bits[j], bits[j + 1], bits.n_words());
      const double r = mrkit::dosage_r(t);
      if (r < -1 || r > 1) std::abort();
      const double r2 = mrkit::haplotype_r2(t);
      if (r2 < -1e-12 || r2 > 1 + 1e-12) std::abort();
    }
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
