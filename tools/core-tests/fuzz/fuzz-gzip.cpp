// libFuzzer target: the line reader on arbitrary bytes (plain text, gzip, concatenated
// members, BGZF, truncated or corrupt streams), with a small buffer so that buffer growth
// and refills are exercised. The first byte chooses the buffer size. Each input is read
// with 1 and with 2 threads (BGZF blocks decoded in a second thread): the lines and the
// error, if any, must be the same.
#include "fuzz-util.hpp"

#include <mrkit/io/gzip_stream.hpp>

#include <vector>

namespace {

struct Outcome {
  std::vector<std::string> lines;
  std::string error;
  long error_line = 0;
};

Outcome read_all(const std::string& path, std::size_t chunk, int threads, std::size_t size) {
  Outcome o;
  try {
    mrkit::LineReader in(path, chunk, threads);
    std::string_view line;
    long n = 0;
    std::size_t bytes = 0;
    while (in.next(line)) {
      ++n;
      bytes += line.size();
      if (in.line_number() != n) std::abort();
      o.lines.emplace_back(line);
    }
    // Plain input: the lines hold every byte but the line ends.
    if (!in.compressed() && bytes > size) std::abort();
  } catch (const mrkit::ReadError& e) {
    if (e.kind != "file_truncated") std::abort();
    o.error = e.what();
    o.error_line = e.line;
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::string path = fuzzutil::scratch_path("gzip");
  const std::size_t chunk = std::size_t(2) << (data[0] % 12);  // 2 .. 4096 bytes
  fuzzutil::write_file(path, data + 1, size - 1);
  const Outcome one = read_all(path, chunk, 1, size - 1);
  const Outcome two = read_all(path, chunk, 2, size - 1);
  if (one.lines != two.lines || one.error != two.error || one.error_line != two.error_line) std::abort();
  return 0;
}
