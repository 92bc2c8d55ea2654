// libFuzzer target: a whole summary-statistics file read as one preset's layout. The first
// byte chooses the preset (twosamplemr, gwas_ssf, gwas_ssf_hm, finngen, plink2, regenie,
// saige, bolt, metal) and the p-value filter; the rest is the file (plain or gzip). The
// only accepted failure is a mrkit::ReadError; what is returned must be sound.
#include "fuzz-util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::string path = fuzzutil::scratch_path("sumstats");
  const auto& presets = fuzzutil::presets();
  const auto& preset = presets[data[0] % presets.size()];
  const bool pfilter = (data[0] / presets.size()) % 2 == 1;
  fuzzutil::write_file(path, data + 1, size - 1);
  try {
    const mrkit::HeaderInfo h = mrkit::read_header(path, 0, 4096);
    fuzzutil::check_header(h);
    mrkit::SumstatsSpec s = fuzzutil::spec_from_preset(preset, h);
    if (pfilter) s.pval_threshold = 5e-8;
    s.max_malformed = 1000;
    s.read_chunk = std::size_t(64) << (size % 7);  // 64 .. 4096 bytes
    const mrkit::SumstatsResult r = mrkit::SumstatsReader(s).read(path);
    fuzzutil::check_result(r);
  } catch (const mrkit::ReadError& e) {
    if (!mrkit::is_valid_text(e.what()) || !mrkit::is_valid_text(e.column)) std::abort();
  }
  return 0;
}
