// libFuzzer target: the line reader on arbitrary bytes (plain text, gzip, concatenated
// members, BGZF, truncated or corrupt streams), with a small buffer so that buffer growth
// and refills are exercised. The first byte chooses the buffer size.
#include "fuzz-util.hpp"

#include <mrkit/io/gzip_stream.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::string path = fuzzutil::scratch_path("gzip");
  const std::size_t chunk = std::size_t(2) << (data[0] % 12);  // 2 .. 4096 bytes
  fuzzutil::write_file(path, data + 1, size - 1);
  try {
    mrkit::LineReader in(path, chunk);
    std::string_view line;
    long n = 0;
    std::size_t bytes = 0;
    while (in.next(line)) {
      ++n;
      bytes += line.size();
      if (in.line_number() != n) std::abort();
    }
    // Plain input: the lines hold every byte but the line ends.
    if (!in.compressed() && bytes > size - 1) std::abort();
  } catch (const mrkit::ReadError& e) {
    if (e.kind != "file_truncated") std::abort();
  }
  return 0;
}
