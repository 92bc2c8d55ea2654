// Helpers of the core tests: temporary files, gzip and BGZF writers (from the format
// specifications: RFC 1952 members, the SAM/BGZF spec's "BC" extra field and EOF block).
#pragma once
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace coretest {

// A file under $TMPDIR removed when the object goes out of scope.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix = "") {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir ? dir : "/tmp") + "/mrkit-core-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const int fd = mkstemp(buf.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    base_ = buf.data();
    path_ = base_ + suffix;
    if (!suffix.empty()) std::remove(base_.c_str());
  }
  ~TempFile() {
    std::remove(path_.c_str());
    for (const auto& p : extra_) std::remove(p.c_str());
  }
  const std::string& path() const { return path_; }
  // A sibling file with the same stem (e.g. the .bim of a .bed).
  std::string sibling(const std::string& suffix) {
    extra_.push_back(base_ + suffix);
    return extra_.back();
  }
  const std::string& stem() const { return base_; }

 private:
  std::string base_, path_;
  std::vector<std::string> extra_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

inline std::string read_bytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

// Raw deflate of `text` (no zlib or gzip wrapper).
inline std::string raw_deflate(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, text.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(&out[0]);
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline void put_le(std::string& s, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

inline std::uint32_t crc_of(const std::string& text) {
  return static_cast<std::uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}

// One gzip member (RFC 1952) holding `text`; with `bgzf`, the BGZF "BC" extra subfield.
inline std::string gzip_member(const std::string& text, bool bgzf = false) {
  const std::string body = raw_deflate(text);
  std::string m;
  m += "\x1f\x8b\x08";
  m.push_back(bgzf ? '\x04' : '\x00');  // FLG: FEXTRA for BGZF
  put_le(m, 0, 4);                      // MTIME
  m.push_back('\0');                    // XFL
  m.push_back('\xff');                  // OS unknown
  if (bgzf) {
    put_le(m, 6, 2);  // XLEN
    m += "BC";
    put_le(m, 2, 2);  // SLEN
    put_le(m, static_cast<std::uint32_t>(12 + 6 + body.size() + 8 - 1), 2);  // BSIZE - 1
  }
  m += body;
  put_le(m, crc_of(text), 4);
  put_le(m, static_cast<std::uint32_t>(text.size()), 4);
  return m;
}

// A BGZF file: blocks of at most `block` bytes of text, then the empty EOF block.
inline std::string bgzf(const std::string& text, std::size_t block = 64) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += block) out += gzip_member(text.substr(i, block), true);
  out += gzip_member("", true);
  return out;
}

}  // namespace coretest
