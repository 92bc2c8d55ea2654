// mrkit C++ core: line-by-line reading of plain or gzip-compressed text files.
//
// zlib's gzread() reads both (a file without the gzip magic bytes is passed through),
// decompresses concatenated gzip members one after the other, and reports a stream that
// ends inside a member as an error, which LineReader turns into a ReadError. Gzip members
// of bounded size - BGZF blocks (bgzip), fwrite's members - are decompressed whole with
// libdeflate instead (io/bgzf_stream.hpp), with the same bytes and the same errors,
// optionally in a decoder thread; zlib takes over at the first member that is not. Lines are
// returned as string_views into an internal buffer: they stay valid until the next call.
#pragma once

#include <zlib.h>
#ifdef _WIN32
#include <io.h>
#endif
#include <fcntl.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <memory>
#include <vector>

#include "mrkit/io/bgzf_stream.hpp"
#include "mrkit/io/read_error.hpp"

namespace mrkit {

class LineReader {
 public:
  // threads: for a gzip file, more than 1 decompresses ahead in another thread.
  explicit LineReader(const std::string& path, std::size_t chunk = std::size_t(1) << 22, int threads = 1)
      : path_(path), chunk_(chunk) {
    compressed_ = is_gzip_file(path);
    buf_.resize(chunk_ + 1);
    if (compressed_) {
      bgzf_ = std::make_unique<bgzf::BgzfStream>(path, threads);
      return;
    }
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
    set_gz_buffer();
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
    if (bgzf_ && fill_bgzf()) return;
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
      // zlib prefixes its message with the file's name, "<fd:5>" for a descriptor. The
      // damage lies in the block being decompressed, past the lines read so far: the error
      // is located at the first line not read, or nowhere when none was read.
      std::string why = msg ? msg : "";
      const std::size_t colon = why.rfind(": ");
      if (!why.empty() && why.front() == '<' && colon != std::string::npos) why.erase(0, colon + 2);
      throw ReadError("file_truncated",
                      "decompression failed (" + why + "): the compressed data are damaged " +
                          (line_ > 0 ? "after line " + std::to_string(line_) : std::string("before the first line")) +
                          "; the file may be truncated or corrupted in transfer",
                      line_ > 0 ? line_ + 1 : 0);
    }
    end_ += static_cast<std::size_t>(got);
    if (got == 0) eof_ = true;
  }

  // zlib's buffers: 1 MiB, or less for the small chunks used in tests and fuzzing.
  void set_gz_buffer() {
    gzbuffer(file_, static_cast<unsigned>(std::min<std::size_t>(std::size_t(1) << 20, std::max<std::size_t>(chunk_, 8192))));
  }

  // fill() through libdeflate; false when zlib reads the rest of the file (from a member
  // that libdeflate does not take whole).
  bool fill_bgzf() {
    // Room for a whole batch of blocks or a member (BgzfStream::read() needs it)
    if (buf_.size() - end_ < bgzf::kBatchBytes) buf_.resize(end_ + bgzf::kBatchBytes);
    for (;;) {
      bgzf::Stop stop = bgzf::Stop::more;
      const std::size_t got = bgzf_->read(buf_.data() + end_, buf_.size() - end_, stop);
      end_ += got;
      if (got > 0) return true;
      switch (stop) {
        case bgzf::Stop::more: continue;
        case bgzf::Stop::end: eof_ = true; return true;
        case bgzf::Stop::zlib: {
          const std::uint64_t offset = bgzf_->offset();
          bgzf_.reset();
          file_ = gzopen_at(offset);
          set_gz_buffer();
          return false;
        }
      }
    }
  }

  // zlib reading the file from byte `offset` on.
  gzFile gzopen_at(std::uint64_t offset) const {
#ifdef _WIN32
    const int fd = _open(path_.c_str(), _O_RDONLY | _O_BINARY);
    const bool ok = fd >= 0 && _lseeki64(fd, static_cast<__int64>(offset), SEEK_SET) >= 0;
#else
    const int fd = open(path_.c_str(), O_RDONLY);
    const bool ok = fd >= 0 && lseek(fd, static_cast<off_t>(offset), SEEK_SET) >= 0;
#endif
    gzFile g = ok ? gzdopen(fd, "rb") : nullptr;
    if (g == nullptr) {
#ifdef _WIN32
      if (fd >= 0) _close(fd);
#else
      if (fd >= 0) close(fd);
#endif
      throw ReadError("file_not_found", "cannot reopen file '" + path_ + "'");
    }
    return g;
  }

  std::string path_;
  std::size_t chunk_;
  std::unique_ptr<bgzf::BgzfStream> bgzf_;
  gzFile file_ = nullptr;
  bool compressed_ = false;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  bool truncated_ = false;
  long line_ = 0;
};

}  // namespace mrkit
