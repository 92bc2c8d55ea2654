// libFuzzer target: GWAS-VCF records (FORMAT keys ES:SE:LP:AF:SS:NC:EZ:ID) after a fixed
// header; the input is the body of the file.
#include "fuzz-util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzzutil::scratch_path("vcf");
  static const std::string head =
      "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTRAIT\n";
  std::string bytes = head;
  bytes.append(reinterpret_cast<const char*>(data), size);
  fuzzutil::write_file(path, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  try {
    const mrkit::HeaderInfo h = mrkit::read_header(path, 0, 4096);
    if (h.line != 2 || h.fields.size() != 10) std::abort();
    fuzzutil::check_header(h);
    mrkit::SumstatsSpec s = fuzzutil::spec_vcf(h);
    s.max_malformed = 1000;
    s.read_chunk = std::size_t(64) << (size % 7);  // 64 .. 4096 bytes
    if (size > 0 && data[0] % 2) s.pval_threshold = 5e-8;
    const mrkit::SumstatsResult r = mrkit::SumstatsReader(s).read(path);
    fuzzutil::check_result(r);
  } catch (const mrkit::ReadError& e) {
    if (e.kind != "file_malformed" && e.kind != "file_truncated") std::abort();
  }
  return 0;
}
