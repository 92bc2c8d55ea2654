// mrkit C++ core: indexed look-up in bgzipped, tabix-indexed text files (GWAS-VCF, TSV).
//
// Written from the specifications: the BGZF section of the SAM/BAM format specification
// (blocks are gzip members with a "BC" extra subfield giving the block size; virtual file
// offsets are coffset << 16 | uoffset) and the tabix / CSI index specifications (binning
// scheme with reg2bin/reg2bins, per-reference bins of chunks, the tabix linear index).
//
// Every length, count and offset read from a file is checked against the bytes present
// before it is used; a bad data file raises ReadError("file_malformed"), a bad index
// ReadError("index_malformed"), and an index whose offsets do not point at records of the
// data file ReadError("index_mismatch"). The writer half (bgzf_compress_file,
// tabix_build) exists so that tests and benchmarks can make fixtures without htslib.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mrkit/io/gzip_stream.hpp"

namespace mrkit {
namespace tabix {

constexpr std::size_t kMaxBlockSize = 65536;   // a BGZF block, compressed or not
constexpr std::size_t kBlockInput = 0xff00;    // input bytes per written block

inline std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
         (std::uint32_t(p[3]) << 24);
}
inline std::uint64_t le64(const unsigned char* p) {
  return std::uint64_t(le32(p)) | (std::uint64_t(le32(p + 4)) << 32);
}

// Bin of the 0-based half-open interval [beg, end) (binning scheme of the specification).
inline std::uint32_t reg2bin(std::int64_t beg, std::int64_t end, int min_shift, int depth) {
  int s = min_shift;
  std::int64_t t = ((std::int64_t(1) << (depth * 3)) - 1) / 7;
  --end;
  for (int l = depth; l > 0; --l, s += 3, t -= std::int64_t(1) << (l * 3))
    if ((beg >> s) == (end >> s)) return static_cast<std::uint32_t>(t + (beg >> s));
  return 0;
}

// All bins that may hold records overlapping [beg, end).
inline std::vector<std::uint32_t> reg2bins(std::int64_t beg, std::int64_t end, int min_shift, int depth) {
  std::vector<std::uint32_t> bins;
  int s = min_shift + depth * 3;
  std::int64_t t = 0;
  --end;
  for (int l = 0; l <= depth; s -= 3, t += std::int64_t(1) << (l * 3), ++l) {
    const std::int64_t b = t + (beg >> s), e = t + (end >> s);
    for (std::int64_t i = b; i <= e; ++i) bins.push_back(static_cast<std::uint32_t>(i));
  }
  return bins;
}

// A BGZF file opened for random access by block.
class BgzfFile {
 public:
  explicit BgzfFile(const std::string& path, std::string what = "file_malformed") : path_(path), kind_(std::move(what)) {
    f_ = std::fopen(path.c_str(), "rb");
    if (f_ == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
    if (std::fseek(f_, 0, SEEK_END) != 0) fail("cannot seek");
    const long sz = std::ftell(f_);
    if (sz < 0) fail("cannot tell the file size");
    size_ = static_cast<std::uint64_t>(sz);
  }
  ~BgzfFile() {
    if (f_ != nullptr) std::fclose(f_);
  }
  BgzfFile(const BgzfFile&) = delete;
  BgzfFile& operator=(const BgzfFile&) = delete;

  std::uint64_t size() const { return size_; }
  std::uint64_t blocks_read() const { return blocks_; }

  // Decompress the block starting at byte `coff` into `out`; returns the block's
  // compressed length (0 when coff is the end of the file).
  std::size_t read_block(std::uint64_t coff, std::vector<char>& out) {
    out.clear();
    if (coff == size_) return 0;
    if (coff > size_) fail("block offset " + std::to_string(coff) + " is past the end of the file");
    if (size_ - coff < 18 + 8) fail("a block at offset " + std::to_string(coff) + " is cut short");
    if (std::fseek(f_, static_cast<long>(coff), SEEK_SET) != 0) fail("cannot seek");
    unsigned char h[12];
    if (std::fread(h, 1, 12, f_) != 12) fail("cannot read a block header");
    if (h[0] != 31 || h[1] != 139 || h[2] != 8 || (h[3] & 4) == 0)
      fail("no BGZF block header at offset " + std::to_string(coff) + " (not bgzip-compressed?)");
    const std::size_t xlen = std::size_t(h[10]) | (std::size_t(h[11]) << 8);
    if (xlen < 6 || 12 + xlen + 8 > size_ - coff) fail("bad extra-field length at offset " + std::to_string(coff));
    unsigned char extra[65536];
    if (std::fread(extra, 1, xlen, f_) != xlen) fail("cannot read a block header");
    long bsize = -1;
    for (std::size_t p = 0; p + 4 <= xlen;) {
      const std::size_t slen = std::size_t(extra[p + 2]) | (std::size_t(extra[p + 3]) << 8);
      if (p + 4 + slen > xlen) break;
      if (extra[p] == 66 && extra[p + 1] == 67 && slen == 2)
        bsize = long(extra[p + 4]) | (long(extra[p + 5]) << 8);
      p += 4 + slen;
    }
    if (bsize < 0) fail("block at offset " + std::to_string(coff) + " has no BC subfield (gzip, not bgzip)");
    const std::size_t total = static_cast<std::size_t>(bsize) + 1;
    if (total < 12 + xlen + 8 || total > size_ - coff)
      fail("block size " + std::to_string(total) + " at offset " + std::to_string(coff) + " is out of range");
    const std::size_t clen = total - 12 - xlen - 8;
    cbuf_.resize(clen + 8);
    if (std::fread(cbuf_.data(), 1, clen + 8, f_) != clen + 8) fail("cannot read a block");
    const std::uint32_t crc = le32(cbuf_.data() + clen);
    const std::uint32_t isize = le32(cbuf_.data() + clen + 4);
    if (isize > kMaxBlockSize) fail("block at offset " + std::to_string(coff) + " claims " + std::to_string(isize) + " bytes");
    out.resize(isize);
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, -15) != Z_OK) fail("zlib initialisation failed");
    zs.next_in = cbuf_.data();
    zs.avail_in = static_cast<uInt>(clen);
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(isize);
    const int rc = inflate(&zs, Z_FINISH);
    const std::size_t produced = isize - zs.avail_out;
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || produced != isize)
      fail("block at offset " + std::to_string(coff) + " does not decompress to its stated size");
    const std::uint32_t got = static_cast<std::uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(isize)));
    if (got != crc) fail("CRC mismatch in block at offset " + std::to_string(coff));
    ++blocks_;
    return total;
  }

  [[noreturn]] void fail(const std::string& msg) const {
    throw ReadError(kind_, "'" + path_ + "': " + msg);
  }

 private:
  std::string path_;
  std::string kind_;
  std::FILE* f_ = nullptr;
  std::uint64_t size_ = 0;
  std::uint64_t blocks_ = 0;
  std::vector<unsigned char> cbuf_;
};

// Reads lines from virtual offsets of a BGZF file.
class BgzfLineCursor {
 public:
  explicit BgzfLineCursor(BgzfFile& f, std::string bad_offset_kind = "index_mismatch")
      : f_(f), bad_kind_(std::move(bad_offset_kind)) {}

  void seek(std::uint64_t voff) {
    const std::uint64_t coff = voff >> 16;
    const std::size_t uoff = static_cast<std::size_t>(voff & 0xffff);
    if (!(loaded_ && coff == coff_)) load(coff);
    if (uoff > data_.size())
      throw ReadError(bad_kind_, "offset " + std::to_string(uoff) + " is outside the block at " + std::to_string(coff));
    pos_ = uoff;
  }
  // Virtual offset of the next unread byte (moved past the end of an exhausted block).
  std::uint64_t tell() {
    settle();
    return (coff_ << 16) | pos_;
  }
  bool next(std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
      settle();
      if (pos_ >= data_.size()) return any;  // end of file
      const char* start = data_.data() + pos_;
      const void* nl = std::memchr(start, '\n', data_.size() - pos_);
      if (nl != nullptr) {
        const std::size_t len = static_cast<const char*>(nl) - start;
        line.append(start, len);
        pos_ += len + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
      }
      line.append(start, data_.size() - pos_);
      pos_ = data_.size();
      any = true;
      if (line.size() > (std::size_t(1) << 28)) f_.fail("a line longer than 256 MB");
    }
  }

 private:
  void load(std::uint64_t coff) {
    next_coff_ = coff + f_.read_block(coff, data_);
    coff_ = coff;
    loaded_ = true;
    pos_ = 0;
  }
  // Skip exhausted and empty blocks (the end-of-file marker is an empty block).
  void settle() {
    while (loaded_ && pos_ >= data_.size() && next_coff_ < f_.size()) load(next_coff_);
  }

  BgzfFile& f_;
  std::string bad_kind_;
  std::vector<char> data_;
  std::uint64_t coff_ = 0, next_coff_ = 0;
  std::size_t pos_ = 0;
  bool loaded_ = false;
};

struct Chunk {
  std::uint64_t beg, end;
};

// A tabix (.tbi) or tabix-style CSI (.csi) index.
struct Index {
  bool csi = false;
  int min_shift = 14, depth = 5;
  std::int32_t format = 0, col_seq = 1, col_beg = 2, col_end = 0, meta = '#', skip = 0;
  std::vector<std::string> names;
  struct Ref {
    std::unordered_map<std::uint32_t, std::vector<Chunk>> bins;
    std::vector<std::uint64_t> linear;  // tabix only
  };
  std::vector<Ref> refs;
  std::unordered_map<std::string, int> ref_of;

  bool vcf() const { return (format & 0xffff) == 2; }
  bool zero_based() const { return (format & 0x10000) != 0; }
};

// Bounds-checked little-endian reader over the decompressed index bytes.
class ByteReader {
 public:
  ByteReader(const std::vector<char>& b, std::string path) : b_(b), path_(std::move(path)) {}
  std::size_t left() const { return b_.size() - pos_; }
  const unsigned char* take(std::size_t n, const char* what) {
    if (n > left()) fail(std::string("it ends inside ") + what);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(b_.data()) + pos_;
    pos_ += n;
    return p;
  }
  std::int32_t i32(const char* what) { return static_cast<std::int32_t>(le32(take(4, what))); }
  std::uint32_t u32(const char* what) { return le32(take(4, what)); }
  std::uint64_t u64(const char* what) { return le64(take(8, what)); }
  // A count whose items need at least `item_bytes` each of what is left.
  std::size_t count(const char* what, std::size_t item_bytes) {
    const std::int32_t n = i32(what);
    if (n < 0 || (item_bytes > 0 && static_cast<std::size_t>(n) > left() / item_bytes))
      fail(std::string("impossible ") + what + " " + std::to_string(n));
    return static_cast<std::size_t>(n);
  }
  [[noreturn]] void fail(const std::string& msg) const {
    throw ReadError("index_malformed", "index '" + path_ + "' is corrupt: " + msg);
  }

 private:
  const std::vector<char>& b_;
  std::string path_;
  std::size_t pos_ = 0;
};

inline void read_tabix_header(ByteReader& r, Index& ix, std::size_t n_ref_expected, bool check_n_ref) {
  ix.format = r.i32("the header");
  ix.col_seq = r.i32("the header");
  ix.col_beg = r.i32("the header");
  ix.col_end = r.i32("the header");
  ix.meta = r.i32("the header");
  ix.skip = r.i32("the header");
  if (ix.col_seq < 1 || ix.col_beg < 1 || ix.col_end < 0 || ix.col_seq > 4096 || ix.col_beg > 4096 ||
      ix.col_end > 4096 || ix.skip < 0 || (ix.format & 0xffff) > 2)
    r.fail("bad column numbers or format in the header");
  const std::size_t l_nm = r.count("name length", 1);
  const unsigned char* nm = r.take(l_nm, "the sequence names");
  std::size_t start = 0;
  for (std::size_t i = 0; i < l_nm; ++i) {
    if (nm[i] == 0) {
      ix.names.emplace_back(reinterpret_cast<const char*>(nm) + start, i - start);
      start = i + 1;
    }
  }
  if (start != l_nm) r.fail("the sequence names are not NUL-terminated");
  if (check_n_ref && ix.names.size() != n_ref_expected)
    r.fail(std::to_string(ix.names.size()) + " sequence names for " + std::to_string(n_ref_expected) + " sequences");
}

// Decompress a whole BGZF file (an index) into memory.
inline std::vector<char> bgzf_slurp(const std::string& path, const std::string& kind) {
  BgzfFile f(path, kind);
  std::vector<char> all, block;
  std::uint64_t coff = 0;
  for (;;) {
    const std::size_t n = f.read_block(coff, block);
    if (n == 0) break;
    all.insert(all.end(), block.begin(), block.end());
    coff += n;
    if (all.size() > (std::size_t(1) << 31)) f.fail("index larger than 2 GB");
  }
  return all;
}

// Parse the decompressed bytes of a .tbi/.csi index (`index_path` names it in errors);
// chunk offsets must lie within a data file of `data_size` bytes. A fuzz target can call
// this directly on arbitrary bytes.
inline Index parse_index(const std::vector<char>& bytes, const std::string& index_path, std::uint64_t data_size) {
  ByteReader r(bytes, index_path);
  Index ix;
  const unsigned char* magic = r.take(4, "the magic bytes");
  std::size_t n_ref = 0;
  if (std::memcmp(magic, "TBI\1", 4) == 0) {
    n_ref = r.count("number of sequences", 8);
    read_tabix_header(r, ix, n_ref, true);
  } else if (std::memcmp(magic, "CSI\1", 4) == 0) {
    ix.csi = true;
    ix.min_shift = r.i32("the header");
    ix.depth = r.i32("the header");
    if (ix.min_shift < 1 || ix.min_shift > 30 || ix.depth < 0 || ix.depth > 10 || ix.min_shift + 3 * ix.depth > 62)
      r.fail("bad min_shift/depth");
    const std::size_t l_aux = r.count("auxiliary data length", 1);
    if (l_aux < 28) r.fail("no tabix header in the auxiliary data (not a tabix-style CSI index)");
    const char* aux_p = reinterpret_cast<const char*>(r.take(l_aux, "the auxiliary data"));
    const std::vector<char> aux(aux_p, aux_p + l_aux);
    ByteReader ar(aux, index_path);
    read_tabix_header(ar, ix, 0, false);
    n_ref = r.count("number of sequences", 4);
    if (ix.names.size() != n_ref)
      r.fail(std::to_string(ix.names.size()) + " sequence names for " + std::to_string(n_ref) + " sequences");
  } else {
    r.fail("not a tabix or CSI index (bad magic bytes)");
  }
  const std::uint64_t pseudo_bin = ((std::uint64_t(1) << (3 * ix.depth + 3)) - 1) / 7 + 1;  // holds statistics
  ix.refs.resize(n_ref);
  for (std::size_t k = 0; k < n_ref; ++k) {
    Index::Ref& ref = ix.refs[k];
    const std::size_t n_bin = r.count("number of bins", ix.csi ? 16 : 8);
    for (std::size_t b = 0; b < n_bin; ++b) {
      const std::uint32_t bin = r.u32("a bin");
      if (ix.csi) r.u64("a bin offset");
      const std::size_t n_chunk = r.count("number of chunks", 16);
      if (bin > pseudo_bin) r.fail("bin number " + std::to_string(bin) + " out of range");
      std::vector<Chunk>* dst = bin == pseudo_bin ? nullptr : &ref.bins[bin];
      for (std::size_t c = 0; c < n_chunk; ++c) {
        const std::uint64_t beg = r.u64("a chunk"), end = r.u64("a chunk");
        if (dst == nullptr) continue;
        if (beg > end || (beg >> 16) > data_size || (end >> 16) > data_size)
          r.fail("chunk offsets outside the data file (" + std::to_string(beg >> 16) + " > " +
                 std::to_string(data_size) + " bytes?)");
        dst->push_back({beg, end});
      }
    }
    if (!ix.csi) {
      const std::size_t n_intv = r.count("number of intervals", 8);
      ref.linear.resize(n_intv);
      for (std::size_t i = 0; i < n_intv; ++i) {
        ref.linear[i] = r.u64("the linear index");
        if ((ref.linear[i] >> 16) > data_size) r.fail("linear index offset outside the data file");
      }
    }
  }
  for (std::size_t k = 0; k < ix.names.size(); ++k) ix.ref_of.emplace(ix.names[k], static_cast<int>(k));
  return ix;
}

inline Index read_index(const std::string& index_path, std::uint64_t data_size) {
  return parse_index(bgzf_slurp(index_path, "index_malformed"), index_path, data_size);
}

// The chunks (sorted, merged) that may hold records at the 1-based positions of `pos`.
inline std::vector<Chunk> query_chunks(const Index& ix, int ref, const std::vector<std::int64_t>& pos) {
  std::vector<Chunk> out;
  if (ref < 0 || static_cast<std::size_t>(ref) >= ix.refs.size()) return out;
  const Index::Ref& r = ix.refs[ref];
  const std::int64_t max_pos = std::int64_t(1) << (ix.min_shift + 3 * ix.depth);
  for (const std::int64_t p : pos) {
    if (p < 1 || p > max_pos) continue;
    const std::int64_t beg = p - 1, end = p;
    std::uint64_t min_off = 0;
    if (!ix.csi && !r.linear.empty()) {
      const std::size_t w = std::min<std::size_t>(static_cast<std::size_t>(beg >> 14), r.linear.size() - 1);
      min_off = r.linear[w];
    }
    for (const std::uint32_t bin : reg2bins(beg, end, ix.min_shift, ix.depth)) {
      const auto it = r.bins.find(bin);
      if (it == r.bins.end()) continue;
      for (const Chunk& c : it->second)
        if (c.end > min_off) out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end(), [](const Chunk& a, const Chunk& b) { return a.beg < b.beg; });
  std::vector<Chunk> merged;
  for (const Chunk& c : out) {
    if (!merged.empty() && c.beg <= merged.back().end) merged.back().end = std::max(merged.back().end, c.end);
    else merged.push_back(c);
  }
  return merged;
}

struct Record {
  std::string_view seq;
  std::int64_t beg0 = 0, end0 = 0;  // 0-based half-open
};

// Parse the sequence and interval of a data line by the index's column numbers.
inline bool parse_record(const Index& ix, std::string_view line, Record& rec) {
  std::string_view seq, b, e, ref;
  int col = 1;
  std::size_t start = 0;
  const int need = std::max({ix.col_seq, ix.col_beg, ix.col_end, ix.vcf() ? 4 : 0});
  for (std::size_t i = 0; i <= line.size() && col <= need; ++i) {
    if (i == line.size() || line[i] == '\t') {
      const std::string_view f = line.substr(start, i - start);
      if (col == ix.col_seq) seq = f;
      if (col == ix.col_beg) b = f;
      if (col == ix.col_end) e = f;
      if (ix.vcf() && col == 4) ref = f;
      ++col;
      start = i + 1;
    }
  }
  auto to_int = [](std::string_view s, std::int64_t& v) {
    if (s.empty() || s.size() > 18) return false;
    v = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    return true;
  };
  std::int64_t bv = 0;
  if (seq.empty() || !to_int(b, bv)) return false;
  rec.seq = seq;
  rec.beg0 = ix.zero_based() ? bv : bv - 1;
  if (ix.vcf()) {
    rec.end0 = rec.beg0 + static_cast<std::int64_t>(std::max<std::size_t>(ref.size(), 1));
  } else if (ix.col_end > 0 && ix.col_end != ix.col_beg) {
    std::int64_t ev = 0;
    if (!to_int(e, ev)) return false;
    rec.end0 = ev;
  } else {
    rec.end0 = rec.beg0 + 1;
  }
  if (rec.end0 <= rec.beg0) rec.end0 = rec.beg0 + 1;
  return true;
}

struct ExtractStats {
  std::uint64_t chunks = 0, blocks = 0, lines_scanned = 0, lines_kept = 0, positions_unknown_seq = 0;
};

// The sequence name of the index that `chrom` means: itself, or with "chr" added/removed.
inline int find_ref(const Index& ix, const std::string& chrom) {
  auto it = ix.ref_of.find(chrom);
  if (it != ix.ref_of.end()) return it->second;
  if (chrom.size() > 3 && (chrom.compare(0, 3, "chr") == 0 || chrom.compare(0, 3, "CHR") == 0))
    it = ix.ref_of.find(chrom.substr(3));
  else
    it = ix.ref_of.find("chr" + chrom);
  return it == ix.ref_of.end() ? -1 : it->second;
}

// Write to `out` the first `header_lines` lines of the data file, then, in file order and
// once each, every record overlapping one of the positions (chrom[i], pos[i]).
inline ExtractStats extract_regions(const std::string& data_path, const std::string& index_path,
                                    const std::vector<std::string>& chrom, const std::vector<std::int64_t>& pos,
                                    long header_lines, std::FILE* out) {
  BgzfFile data(data_path);
  const Index ix = read_index(index_path, data.size());
  ExtractStats st;
  BgzfLineCursor cur(data, "index_mismatch");
  std::string line;
  cur.seek(0);
  for (long i = 0; i < header_lines; ++i) {
    if (!cur.next(line)) break;
    std::fwrite(line.data(), 1, line.size(), out);
    std::fputc('\n', out);
  }
  const std::uint64_t header_end = cur.tell();

  std::map<int, std::vector<std::int64_t>> by_ref;
  for (std::size_t i = 0; i < chrom.size() && i < pos.size(); ++i) {
    const int ref = find_ref(ix, chrom[i]);
    if (ref < 0) {
      ++st.positions_unknown_seq;
      continue;
    }
    by_ref[ref].push_back(pos[i]);
  }
  std::vector<Chunk> all;
  for (auto& kv : by_ref) {
    std::sort(kv.second.begin(), kv.second.end());
    kv.second.erase(std::unique(kv.second.begin(), kv.second.end()), kv.second.end());
    const std::vector<Chunk> c = query_chunks(ix, kv.first, kv.second);
    all.insert(all.end(), c.begin(), c.end());
  }
  std::sort(all.begin(), all.end(), [](const Chunk& a, const Chunk& b) { return a.beg < b.beg; });
  std::vector<Chunk> merged;
  for (const Chunk& c : all) {
    if (!merged.empty() && c.beg <= merged.back().end) merged.back().end = std::max(merged.back().end, c.end);
    else merged.push_back(c);
  }
  st.chunks = merged.size();
  const std::uint64_t blocks_before = data.blocks_read();
  Record rec;
  for (const Chunk& c : merged) {
    cur.seek(c.beg);
    for (;;) {
      const std::uint64_t at = cur.tell();
      if (at >= c.end) break;
      if (!cur.next(line)) break;
      if (at < header_end) continue;
      if (line.empty() || line[0] == static_cast<char>(ix.meta)) continue;
      ++st.lines_scanned;
      if (!parse_record(ix, line, rec))
        throw ReadError("index_mismatch", "index '" + index_path + "' does not match '" + data_path +
                                              "': an indexed offset points at a line that is not a record");
      const int ref = find_ref(ix, std::string(rec.seq));
      if (ref < 0)
        throw ReadError("index_mismatch", "index '" + index_path + "' does not match '" + data_path +
                                              "': sequence '" + std::string(rec.seq) + "' is not in the index");
      const auto it = by_ref.find(ref);
      if (it == by_ref.end()) continue;
      const auto q = std::upper_bound(it->second.begin(), it->second.end(), rec.beg0);  // first pos > beg0
      if (q == it->second.end() || *q > rec.end0) continue;                             // pos in (beg0, end0]
      std::fwrite(line.data(), 1, line.size(), out);
      std::fputc('\n', out);
      ++st.lines_kept;
    }
  }
  st.blocks = data.blocks_read() - blocks_before;
  return st;
}

// ---- Writer: BGZF compression and a tabix index (for fixtures and benchmarks). ----

inline void put32(std::vector<char>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void put64(std::vector<char>& b, std::uint64_t v) {
  put32(b, static_cast<std::uint32_t>(v));
  put32(b, static_cast<std::uint32_t>(v >> 32));
}

// Append one BGZF block holding `n` (<= kBlockInput) bytes to `f`; returns its size.
inline std::size_t bgzf_write_block(std::FILE* f, const char* data, std::size_t n, int level = 6) {
  unsigned char out[kMaxBlockSize];
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw ReadError("file_malformed", "zlib initialisation failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  zs.avail_in = static_cast<uInt>(n);
  zs.next_out = out + 18;
  zs.avail_out = static_cast<uInt>(kMaxBlockSize - 18 - 8);
  const int rc = deflate(&zs, Z_FINISH);
  const std::size_t clen = kMaxBlockSize - 18 - 8 - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw ReadError("file_malformed", "a BGZF block did not fit in 64 KB");
  const std::size_t total = 18 + clen + 8;
  const unsigned char head[18] = {31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 66, 67, 2, 0,
                                  static_cast<unsigned char>((total - 1) & 0xff),
                                  static_cast<unsigned char>((total - 1) >> 8)};
  std::memcpy(out, head, 18);
  const std::uint32_t crc = static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n)));
  for (int i = 0; i < 4; ++i) out[18 + clen + i] = static_cast<unsigned char>((crc >> (8 * i)) & 0xff);
  for (int i = 0; i < 4; ++i) out[22 + clen + i] = static_cast<unsigned char>((n >> (8 * i)) & 0xff);
  if (std::fwrite(out, 1, total, f) != total) throw ReadError("file_malformed", "write failed");
  return total;
}

// BGZF-compress `bytes` into file `path` (with the empty end-of-file block).
inline void bgzf_write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw ReadError("file_not_found", "cannot write '" + path + "'");
  for (std::size_t i = 0; i < bytes.size(); i += kBlockInput)
    bgzf_write_block(f, bytes.data() + i, std::min(kBlockInput, bytes.size() - i));
  bgzf_write_block(f, "", 0);
  std::fclose(f);
}

// BGZF-compress a plain text file line-aligned input into `out_path`.
inline void bgzf_compress_file(const std::string& in_path, const std::string& out_path) {
  std::FILE* in = std::fopen(in_path.c_str(), "rb");
  if (in == nullptr) throw ReadError("file_not_found", "cannot open file '" + in_path + "'");
  std::FILE* f = std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fclose(in);
    throw ReadError("file_not_found", "cannot write '" + out_path + "'");
  }
  std::vector<char> buf(kBlockInput);
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, kBlockInput, in);
    if (n == 0) break;
    bgzf_write_block(f, buf.data(), n);
  }
  bgzf_write_block(f, "", 0);
  std::fclose(in);
  std::fclose(f);
}

// Build a tabix index (written to index_path) for a sorted bgzipped file, with the column
// layout in `ix` (format, col_seq, col_beg, col_end, meta, skip; names/refs are filled).
inline void tabix_build(const std::string& data_path, const std::string& index_path, Index ix) {
  BgzfFile data(data_path);
  BgzfLineCursor cur(data, "file_malformed");
  cur.seek(0);
  std::string line;
  ix.names.clear();
  ix.refs.clear();
  ix.ref_of.clear();
  long n = 0;
  Record rec;
  for (;;) {
    const std::uint64_t at = cur.tell();
    if (!cur.next(line)) break;
    const std::uint64_t after = cur.tell();
    ++n;
    if (n <= ix.skip || line.empty() || line[0] == static_cast<char>(ix.meta)) continue;
    if (!parse_record(ix, line, rec))
      throw ReadError("file_malformed", "'" + data_path + "': line " + std::to_string(n) + " has no position");
    const std::string seq(rec.seq);
    int ref;
    if (ix.names.empty() || ix.names.back() != seq) {
      if (ix.ref_of.count(seq))
        throw ReadError("file_malformed", "'" + data_path + "' is not sorted: sequence '" + seq + "' reappears at line " + std::to_string(n));
      ref = static_cast<int>(ix.names.size());
      ix.names.push_back(seq);
      ix.ref_of.emplace(seq, ref);
      ix.refs.emplace_back();
    } else {
      ref = static_cast<int>(ix.names.size()) - 1;
    }
    Index::Ref& r = ix.refs[ref];
    std::vector<Chunk>& chunks = r.bins[reg2bin(rec.beg0, rec.end0, 14, 5)];
    if (!chunks.empty() && chunks.back().end == at) chunks.back().end = after;
    else chunks.push_back({at, after});
    const std::size_t w_end = static_cast<std::size_t>((rec.end0 - 1) >> 14);
    if (r.linear.size() <= w_end) r.linear.resize(w_end + 1, ~std::uint64_t(0));
    for (std::size_t w = static_cast<std::size_t>(rec.beg0 >> 14); w <= w_end; ++w)
      if (r.linear[w] == ~std::uint64_t(0)) r.linear[w] = at;
  }
  std::vector<char> b = {'T', 'B', 'I', 1};
  put32(b, static_cast<std::uint32_t>(ix.names.size()));
  for (const std::int32_t v : {ix.format, ix.col_seq, ix.col_beg, ix.col_end, ix.meta, ix.skip})
    put32(b, static_cast<std::uint32_t>(v));
  std::string nm;
  for (const std::string& s : ix.names) nm += s + '\0';
  put32(b, static_cast<std::uint32_t>(nm.size()));
  b.insert(b.end(), nm.begin(), nm.end());
  for (Index::Ref& r : ix.refs) {
    std::vector<std::uint32_t> keys;
    for (const auto& kv : r.bins) keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    put32(b, static_cast<std::uint32_t>(keys.size()));
    for (const std::uint32_t k : keys) {
      put32(b, k);
      put32(b, static_cast<std::uint32_t>(r.bins[k].size()));
      for (const Chunk& c : r.bins[k]) {
        put64(b, c.beg);
        put64(b, c.end);
      }
    }
    std::uint64_t last = 0;  // windows without records take the offset before them
    for (std::uint64_t& v : r.linear) {
      if (v == ~std::uint64_t(0)) v = last;
      last = v;
    }
    put32(b, static_cast<std::uint32_t>(r.linear.size()));
    for (const std::uint64_t v : r.linear) put64(b, v);
  }
  bgzf_write_bytes(index_path, b);
}

}  // namespace tabix
}  // namespace mrkit
