// mrkit C++ core: sequential decompression of gzip files with libdeflate where it can take
// whole members - BGZF blocks above all - with an optional decoder thread that works ahead
// of the reader, and zlib for the rest.
//
// A BGZF file (SAM/BAM specification, BGZF section) is a series of gzip members of at most
// 64 KiB each, whose gzip header carries a "BC" extra subfield with the member's size; the
// trailer gives the CRC-32 and the uncompressed size. Each block can therefore be handed to
// libdeflate's whole-buffer decompressor, which is several times faster than zlib's
// streaming inflate, and blocks can be decoded independently of one another. Other gzip
// members are decompressed whole by libdeflate too when one fits in the input window
// (2 MiB) and its data in a batch (kBatchBytes); data.table::fwrite writes such members of
// about 1 MiB each.
//
// zlib takes over, from the start of a block or member to the end of the file, at the first
// one that libdeflate cannot take: a member too large (a file from the gzip command is one
// member), a block or member that does not decompress or fails its CRC or length check, or a
// file that ends inside one. BgzfStream::read() then returns Stop::zlib with that offset and
// the caller reads on with zlib's gzread(), so such files give exactly the bytes and the
// errors that zlib gives. Bytes after the last member that are not a gzip header end the
// data, as zlib ignores them.
//
// With threads > 1 a decoder thread reads and decompresses batches (spreading the blocks of
// a batch over threads - 1 OpenMP threads with parallel_for when there are more than two)
// while the caller parses; at most two decoded batches wait at any time, so memory stays
// bounded (about 4 x kBatchBytes plus the compressed input window). Whether libdeflate or
// zlib reads a block or member depends on the file alone, so the bytes handed out, and every
// error, do not depend on the number of threads.
#pragma once

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mrkit/io/read_error.hpp"
#include "mrkit/resampling/parallel.hpp"

namespace mrkit {
namespace bgzf {

constexpr std::size_t kHeaderBytes = 18;          // gzip header with the 6-byte BC subfield
constexpr std::size_t kMaxBlock = 65536;          // a block, compressed or not
constexpr std::size_t kBatchBytes = std::size_t(1) << 22;  // decoded bytes per batch

inline std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
}

// What is at p (n bytes available; more may follow in the file): the total size of a BGZF
// block (its BSIZE + 1) when p starts a BGZF block header; 0 when it is a gzip header that is
// not BGZF; -1 when n is too short to tell; -2 when it is not a gzip header at all.
inline long block_size_at(const unsigned char* p, std::size_t n) {
  if (n >= 1 && p[0] != 0x1f) return -2;
  if (n >= 2 && p[1] != 0x8b) return -2;
  if (n < 12) return -1;
  if (p[2] != 8 || (p[3] & 4) == 0) return 0;  // not deflate or no extra field
  const std::size_t xlen = std::size_t(p[10]) | (std::size_t(p[11]) << 8);
  if (n < 12 + xlen) return -1;
  long bsize = -1;
  for (std::size_t k = 0; k + 4 <= xlen;) {
    const unsigned char* s = p + 12 + k;
    const std::size_t slen = std::size_t(s[2]) | (std::size_t(s[3]) << 8);
    if (k + 4 + slen > xlen) break;
    if (s[0] == 66 && s[1] == 67 && slen == 2) bsize = long(s[4]) | (long(s[5]) << 8);
    k += 4 + slen;
  }
  if (bsize < 0) return 0;
  const long total = bsize + 1;
  // A block holds its header, the deflate data and the 8-byte trailer; the deflate data
  // starts after the header (FEXTRA only: BGZF writers set no name, comment or header CRC).
  if ((p[3] & ~4) != 0 || static_cast<std::size_t>(total) < 12 + xlen + 8) return 0;
  return total;
}

// True when the file starts with a BGZF block header.
inline bool is_bgzf_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
  unsigned char h[512];
  const std::size_t n = std::fread(h, 1, sizeof h, f);
  std::fclose(f);
  return block_size_at(h, n) > 0;
}

// How a run of decoded bytes goes on: more bytes, the end of the data, or zlib from a
// member's file offset.
enum class Stop { more, end, zlib };

class BgzfStream {
 public:
  // threads: 1 decodes in the calling thread; more starts a decoder thread.
  BgzfStream(const std::string& path, int threads) : path_(path) {
    f_ = std::fopen(path.c_str(), "rb");
    if (f_ == nullptr) throw ReadError("file_not_found", "cannot open file '" + path + "'");
    // The input window: 2 MiB, or the whole file when it is smaller.
    std::size_t window = std::size_t(2) << 20;
    if (std::fseek(f_, 0, SEEK_END) == 0) {
      const long size = std::ftell(f_);
      if (size >= 0) window = std::min(window, std::max<std::size_t>(static_cast<std::size_t>(size), 1));
    }
    std::rewind(f_);
    in_.resize(window);
    decode_threads_ = threads > 2 ? threads - 1 : 1;
    if (threads > 1) worker_ = std::thread([this] { produce(); });
  }
  ~BgzfStream() {
    if (worker_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(m_);
        quit_ = true;
      }
      cv_.notify_all();
      worker_.join();
    }
    for (auto* d : decompressors_) libdeflate_free_decompressor(d);
    if (f_ != nullptr) std::fclose(f_);
  }
  BgzfStream(const BgzfStream&) = delete;
  BgzfStream& operator=(const BgzfStream&) = delete;

  // Up to `want` (>= kBatchBytes) uncompressed bytes into dst; their number, with how the data
  // go on in `stop` (Stop::more: call again; the other values once the bytes are used).
  std::size_t read(char* dst, std::size_t want, Stop& stop) {
    if (!worker_.joinable()) {
      if (final_ != Stop::more) { stop = final_; return 0; }
      Batch b;
      const std::size_t got = decode(dst, want, b);
      final_ = stop = b.stop;
      offset_ = b.offset;
      return got;
    }
    for (;;) {
      if (cur_ && cur_pos_ < cur_->size) {
        const std::size_t n = std::min(want, cur_->size - cur_pos_);
        std::memcpy(dst, cur_->bytes.get() + cur_pos_, n);
        cur_pos_ += n;
        stop = Stop::more;
        return n;
      }
      if (cur_ && cur_->stop != Stop::more) { stop = cur_->stop; return 0; }
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [this] { return !queue_.empty(); });
      cur_ = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      cv_.notify_all();
      cur_pos_ = 0;
      if (cur_->error) std::rethrow_exception(cur_->error);
    }
  }

  // After Stop::zlib: the file offset from which zlib reads on.
  std::uint64_t offset() const { return worker_.joinable() && cur_ ? cur_->offset : offset_; }

 private:
  struct Batch {
    std::unique_ptr<char[]> bytes;  // kBatchBytes, not zeroed
    std::size_t size = 0;
    Stop stop = Stop::more;
    std::uint64_t offset = 0;
    std::exception_ptr error;
  };
  struct Block {
    std::size_t in;    // offset of the block in in_
    std::size_t size;  // its total size
    std::size_t out;   // offset of its data in the output
    std::uint32_t isize;
    int status;        // 0 ok, 1 failed
  };

  // Make at least `need` bytes available from ipos_ (fewer at the end of the file).
  std::size_t available(std::size_t need) {
    if (iend_ - ipos_ >= need || eof_) return iend_ - ipos_;
    const std::size_t rest = iend_ - ipos_;
    if (rest > 0 && ipos_ > 0) std::memmove(in_.data(), in_.data() + ipos_, rest);
    base_ += ipos_;
    ipos_ = 0;
    iend_ = rest;
    while (iend_ < in_.size() && !eof_) {
      const std::size_t got = std::fread(in_.data() + iend_, 1, in_.size() - iend_, f_);
      if (got == 0) {
        if (std::ferror(f_)) throw ReadError("file_truncated", "'" + path_ + "': read error after " + std::to_string(base_ + iend_) + " bytes");
        eof_ = true;
      }
      iend_ += got;
    }
    return iend_;
  }

  // zlib reads on from the block or member at ipos_.
  void to_zlib(Batch& b) const {
    b.stop = Stop::zlib;
    b.offset = base_ + ipos_;
  }

  // The decompressor of thread t (allocated up to t on the calling thread).
  libdeflate_decompressor* decompressor(int t) {
    while (decompressors_.size() <= static_cast<std::size_t>(t)) {
      libdeflate_decompressor* d = libdeflate_alloc_decompressor();
      if (d == nullptr) throw std::bad_alloc();
      decompressors_.push_back(d);
    }
    return decompressors_[t];
  }

  // Read and decompress blocks into out (room for `cap` bytes); the bytes written, with how
  // the data go on in b.stop (and b.offset).
  std::size_t decode(char* out, std::size_t cap, Batch& b) {
    blocks_.clear();
    std::size_t used = 0;
    // The headers of the blocks that fit, all in in_ at once (in_ holds up to 2 MiB).
    for (;;) {
      const std::size_t have = available(kHeaderBytes);
      const unsigned char* p = in_.data() + ipos_;
      if (have == 0) { b.stop = Stop::end; break; }
      long total = block_size_at(p, have);
      if (total == -1 && have < 2) { b.stop = Stop::end; break; }  // one stray byte: ignored, as zlib does
      if (total == -1) { to_zlib(b); break; }  // a header cut short: zlib says what is wrong
      if (total == -2) { b.stop = Stop::end; break; }  // not gzip: ignored, as zlib does
      if (total == 0) {
        // A gzip member that is not a BGZF block (data.table::fwrite writes a series of
        // them): whole, with libdeflate, when it is in in_ and its data fit in out; else
        // zlib takes over from its start.
        if (!blocks_.empty()) break;  // the blocks before it first
        // Whether a member is taken depends on it alone (its sizes against the fixed
        // windows), not on how full `out` is, so any number of threads decides alike.
        const std::size_t have_all = available(in_.size());
        const std::size_t room = std::min(cap - used, kBatchBytes);
        std::size_t in_used = 0, out_used = 0;
        const libdeflate_result rc = libdeflate_gzip_decompress_ex(
            decompressor(0), in_.data() + ipos_, have_all, out + used, room, &in_used, &out_used);
        if (rc == LIBDEFLATE_SUCCESS) {
          used += out_used;
          ipos_ += in_used;
          continue;
        }
        if (rc == LIBDEFLATE_INSUFFICIENT_SPACE && room < kBatchBytes) break;  // room on the next call
        to_zlib(b);
        break;
      }
      if (blocks_.size() > 0 && ipos_ + static_cast<std::size_t>(total) > iend_) break;  // decode what is here first
      const std::size_t have_block = available(static_cast<std::size_t>(total));
      p = in_.data() + ipos_;
      const std::uint32_t isize = have_block < static_cast<std::size_t>(total) ? 0 : le32(p + total - 4);
      if (have_block < static_cast<std::size_t>(total) || isize > kMaxBlock) {
        // The file ends inside this block, or it claims more than a block holds: zlib reads
        // from here and says what is wrong, with the bytes it can still decompress.
        if (blocks_.empty()) to_zlib(b);
        break;
      }
      if (used + isize > cap) break;
      blocks_.push_back(Block{ipos_, static_cast<std::size_t>(total), used, isize, 0});
      used += isize;
      ipos_ += static_cast<std::size_t>(total);
      if (iend_ - ipos_ < kHeaderBytes && !eof_) break;  // refilling would move the blocks
    }
    if (blocks_.empty()) return used;
    // Decompress them (in parallel with more than two threads); the first failing block in
    // file order ends the run.
    const int nthreads = decode_threads_;
    decompressor(nthreads - 1);
    const int nb = static_cast<int>(blocks_.size());
    parallel_for(nb, nthreads, [&](int i) {
      int t = 0;
#ifdef _OPENMP
      t = omp_get_thread_num();
#endif
      Block& k = blocks_[i];
      const unsigned char* p = in_.data() + k.in;
      const std::size_t xlen = std::size_t(p[10]) | (std::size_t(p[11]) << 8);
      const unsigned char* c = p + 12 + xlen;
      const std::size_t clen = k.size - 12 - xlen - 8;
      std::size_t actual = 0;
      const libdeflate_result rc =
          libdeflate_deflate_decompress(decompressors_[t], c, clen, out + k.out, k.isize, &actual);
      k.status = rc == LIBDEFLATE_SUCCESS && actual == k.isize &&
                         libdeflate_crc32(0, out + k.out, k.isize) == le32(p + k.size - 8)
                     ? 0
                     : 1;
    });
    for (const Block& k : blocks_) {
      if (k.status == 0) continue;
      // The bytes before it; zlib reads on from it (and reports what is wrong)
      b.stop = Stop::zlib;
      b.offset = base_ + k.in;
      return k.out;
    }
    // A stop found after decodable blocks is reported once their bytes are used.
    return used;
  }

  // The decoder thread: batches of decoded blocks into the queue, at most two waiting.
  void produce() {
    for (;;) {
      auto b = std::make_unique<Batch>();
      try {
        b->bytes.reset(new char[kBatchBytes]);
        b->size = decode(b->bytes.get(), kBatchBytes, *b);
      } catch (...) {
        b->error = std::current_exception();
        b->stop = Stop::end;
      }
      const bool last = b->stop != Stop::more;
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [this] { return quit_ || queue_.size() < 2; });
      if (quit_) return;
      queue_.push_back(std::move(b));
      lock.unlock();
      cv_.notify_all();
      if (last) return;
    }
  }

  std::string path_;
  std::FILE* f_ = nullptr;
  std::vector<unsigned char> in_;
  std::size_t ipos_ = 0, iend_ = 0;
  std::uint64_t base_ = 0;  // file offset of in_[0]
  bool eof_ = false;
  std::vector<Block> blocks_;
  std::vector<libdeflate_decompressor*> decompressors_;
  int decode_threads_ = 1;
  Stop final_ = Stop::more;
  std::uint64_t offset_ = 0;
  // decoder thread
  std::thread worker_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> queue_;
  bool quit_ = false;
  std::unique_ptr<Batch> cur_;
  std::size_t cur_pos_ = 0;
};

}  // namespace bgzf
}  // namespace mrkit
