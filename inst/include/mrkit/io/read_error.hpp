// mrkit C++ core: the error every reader of outside bytes throws, and the gzip test.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

namespace mrkit {

// A fatal problem with an input file. `kind` is a short machine-readable word
// ("file_not_found", "file_truncated", "file_malformed", "missing_column"); `line` is the
// 1-based line number (0 when it does not apply) and `column` the column name ("" when it
// does not apply).
struct ReadError : std::invalid_argument {
  std::string kind;
  long line;
  std::string column;
  ReadError(std::string kind_, const std::string& what, long line_ = 0, std::string column_ = "")
      : std::invalid_argument(what), kind(std::move(kind_)), line(line_), column(std::move(column_)) {}
};

// True when the file starts with the gzip magic bytes 1f 8b.
inline bool is_gzip_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
  unsigned char magic[2] = {0, 0};
  const std::size_t n = std::fread(magic, 1, 2, f);
  std::fclose(f);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

}  // namespace mrkit
