// mrkit C++ core: line-by-line reading of plain or gzip-compressed text files.
//
// zlib's gzread() reads both (a file without the gzip magic bytes is passed through),
// decompresses concatenated gzip members one after the other, and reports a stream that
// ends inside a member as an error, which LineReader turns into a ReadError. Lines are
// returned as string_views into an internal buffer: they stay valid until the next call.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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

class LineReader {
 public:
  explicit LineReader(const std::string& path, std::size_t chunk = std::size_t(1) << 22)
      : path_(path), chunk_(chunk) {
    compressed_ = is_gzip_file(path);
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
    // zlib's buffers: 1 MiB, or less for the small chunks used in tests and fuzzing.
    gzbuffer(file_, static_cast<unsigned>(std::min<std::size_t>(std::size_t(1) << 20, std::max<std::size_t>(chunk_, 8192))));
    buf_.resize(chunk_ + 1);
  }
  ~LineReader() {
    if (file_ != nullptr) gzclose(file_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  bool compressed() const { return compressed_; }
  // Number of the line last returned by next() (1-based).
  long line_number() const { return line_; }

  // The next line without its end-of-line characters (\n or \r\n); false at the end.
  bool next(std::string_view& line) {
    for (;;) {
      if (pos_ < end_) {
        const char* start = buf_.data() + pos_;
        const void* nl = std::memchr(start, '\n', end_ - pos_);
        if (nl != nullptr) {
          const std::size_t len = static_cast<const char*>(nl) - start;
          pos_ += len + 1;
          line = trim_cr(std::string_view(start, len));
          ++line_;
          return true;
        }
      }
      if (eof_) {
        if (truncated_) {
          // The stream ended inside a gzip member: the partial last line is not data.
          throw ReadError("file_truncated",
                          "the gzip stream is truncated (unexpected end of file): it ends inside line " +
                              std::to_string(line_ + 1) + ", after " + std::to_string(line_) + " complete lines",
                          line_ + 1);
        }
        if (pos_ < end_) {  // last line without a newline
          line = trim_cr(std::string_view(buf_.data() + pos_, end_ - pos_));
          pos_ = end_;
          ++line_;
          return true;
        }
        return false;
      }
      fill();
    }
  }

 private:
  static std::string_view trim_cr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }

  // Move the unread tail to the front and read more; grow the buffer for long lines.
  void fill() {
    const std::size_t rest = end_ - pos_;
    if (rest > 0 && pos_ > 0) std::memmove(buf_.data(), buf_.data() + pos_, rest);
    pos_ = 0;
    end_ = rest;
    if (buf_.size() - end_ < chunk_ / 2) buf_.resize(buf_.size() * 2);
    const std::size_t want = buf_.size() - end_;
    const int got = gzread(file_, buf_.data() + end_, static_cast<unsigned>(want));
    int err = Z_OK;
    const char* msg = gzerror(file_, &err);
    if (err == Z_BUF_ERROR) {
      // The input ended inside a gzip member (a truncated download). zlib still hands
      // over what it could decompress; its complete lines are returned before the error.
      if (got > 0) end_ += static_cast<std::size_t>(got);
      truncated_ = true;
      eof_ = true;
      return;
    }
    if (got < 0 || (err != Z_OK && err != Z_STREAM_END)) {
      throw ReadError("file_truncated",
                      std::string("decompression failed (") + (msg ? msg : "") + ") after line " +
                          std::to_string(line_),
                      line_ + 1);
    }
    end_ += static_cast<std::size_t>(got);
    if (got == 0) eof_ = true;
  }

  std::string path_;
  std::size_t chunk_;
  gzFile file_ = nullptr;
  bool compressed_ = false;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool truncated_ = false;
  long line_ = 0;
};

}  // namespace mrkit
