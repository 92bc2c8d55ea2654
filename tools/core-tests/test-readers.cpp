// Readers of outside bytes: delimited fields and numbers, the gzip/BGZF line reader, the
// summary-statistics reader under each preset's column layout, GWAS-VCF records, and
// PLINK .bed/.bim/.fam. Expected values are written out by hand from the formats.
#include <doctest/doctest.h>

#include <mrkit/io/plink_bed.hpp>
#include <mrkit/ld.hpp>
#include <mrkit/io/sumstats_reader.hpp>

#include "test-files.hpp"

#include <cmath>
#include <string>
#include <vector>

using coretest::TempFile;
using coretest::write_bytes;

namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string_view> v;
  mrkit::split_fields(line, sep, v);
  return std::vector<std::string>(v.begin(), v.end());
}

std::vector<std::string> all_lines(const std::string& path, std::size_t chunk = std::size_t(1) << 22, int threads = 1) {
  mrkit::LineReader in(path, chunk, threads);
  std::vector<std::string> out;
  std::string_view line;
  while (in.next(line)) out.emplace_back(line);
  return out;
}

// A spec for a header of tab-separated column names with roles given as name -> role.
mrkit::SumstatsSpec spec_for(const std::vector<std::string>& header,
                             const std::vector<std::pair<std::string, int>>& roles, char sep = '\t') {
  mrkit::SumstatsSpec s;
  s.header = header;
  s.sep = sep;
  s.header_line = 1;
  for (const auto& nr : roles) {
    for (std::size_t k = 0; k < header.size(); ++k)
      if (header[k] == nr.first) s.col[nr.second] = static_cast<int>(k);
  }
  return s;
}

std::string join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(sep);
    out += v[i];
  }
  return out;
}

}  // namespace

TEST_SUITE("delimited") {
  TEST_CASE("separator detection prefers tab, then comma, then white space") {
    CHECK(mrkit::detect_separator("a\tb,c d") == '\t');
    CHECK(mrkit::detect_separator("a,b c") == ',');
    CHECK(mrkit::detect_separator("a  b") == mrkit::kWhitespaceSep);
  }

  TEST_CASE("fields: quotes, trimming, empty and trailing fields") {
    CHECK(split("a, \"b,c\" ,d", ',') == std::vector<std::string>{"a", "b,c", "d"});
    CHECK(split("a,b,", ',') == std::vector<std::string>{"a", "b", ""});
    CHECK(split(",,", ',') == std::vector<std::string>{"", "", ""});
    CHECK(split("  x \t y  ", mrkit::kWhitespaceSep) == std::vector<std::string>{"x", "y"});
    CHECK(split("\"two words\" z", mrkit::kWhitespaceSep) == std::vector<std::string>{"two words", "z"});
    CHECK(split("", '\t').empty());
    CHECK(split("\"unterminated", '\t') == std::vector<std::string>{"unterminated"});
  }

  TEST_CASE("numbers: scientific notation, signs, missing codes, out-of-range exponents") {
    double v = 0;
    CHECK(mrkit::parse_double("1E-3", v) == mrkit::NumStatus::ok);
    CHECK(v == 0.001);
    CHECK(mrkit::parse_double("+2.5", v) == mrkit::NumStatus::ok);
    CHECK(v == 2.5);
    CHECK(mrkit::parse_double("-7e2", v) == mrkit::NumStatus::ok);
    CHECK(v == -700.0);
    CHECK(mrkit::parse_double("1e-400", v) == mrkit::NumStatus::ok);
    CHECK(v == 0.0);
    CHECK(mrkit::parse_double("-1e400", v) == mrkit::NumStatus::ok);
    CHECK(v == -INFINITY);
    CHECK(mrkit::parse_double("Inf", v) == mrkit::NumStatus::ok);
    CHECK(v == INFINITY);
    for (const char* m : {"", "NA", ".", "NaN", "nan", "NULL", "null", "N/A"}) {
      CHECK(mrkit::parse_double(m, v) == mrkit::NumStatus::missing);
      CHECK(std::isnan(v));
    }
    for (const char* b : {"abc", "1.5x", "+", "-", "1e", "0x10", " 1"}) {
      CHECK(mrkit::parse_double(b, v) == mrkit::NumStatus::bad);
      CHECK(std::isnan(v));
    }
  }

  TEST_CASE("UTF-8 text: well-formed characters pass, everything else is named") {
    CHECK(mrkit::is_valid_text("rs123 A/G"));
    CHECK(mrkit::is_valid_text("Größe \xE2\x82\xAC \xF0\x9F\x98\x80"));  // 2-, 3- and 4-byte characters
    CHECK(mrkit::invalid_text_at(std::string_view("ab\0c", 4)) == 2);    // NUL
    CHECK(mrkit::invalid_text_at("a\xFF") == 1);                          // never in UTF-8
    CHECK(mrkit::invalid_text_at("\xC3") == 0);                           // truncated character
    CHECK(mrkit::invalid_text_at("\xC0\xAF") == 0);                       // overlong '/'
    CHECK(mrkit::invalid_text_at("\xED\xA0\x80") == 0);                   // UTF-16 surrogate
    CHECK(mrkit::invalid_text_at("\xF4\x90\x80\x80") == 0);               // above U+10FFFF
    CHECK(mrkit::invalid_text_at("x\x80") == 1);                          // lone continuation byte
    CHECK(mrkit::printable("a\xFF\xC3\xA9z") == "a\\xFF\xC3\xA9z");
    CHECK(mrkit::printable(std::string(100, 'x'), 10).size() == 10);
    CHECK(mrkit::not_text_message("ok\xFE") == "byte 0xFE at position 3 is not UTF-8 text");
  }
}

TEST_SUITE("gzip stream") {
  const std::string text = "SNP\tP\r\nrs1\t0.5\n\nrs2\t1e-8";  // CRLF, a blank line, no final newline
  const std::vector<std::string> expected{"SNP\tP", "rs1\t0.5", "", "rs2\t1e-8"};

  TEST_CASE("plain text: CRLF stripped, last line without newline returned") {
    TempFile f;
    write_bytes(f.path(), text);
    CHECK_FALSE(mrkit::is_gzip_file(f.path()));
    CHECK(all_lines(f.path()) == expected);
  }

  TEST_CASE("gzip, concatenated members and BGZF blocks give the same lines") {
    TempFile a, b, c;
    write_bytes(a.path(), coretest::gzip_member(text));
    write_bytes(b.path(), coretest::gzip_member(text.substr(0, 9)) + coretest::gzip_member(text.substr(9)));
    write_bytes(c.path(), coretest::bgzf(text, 5));
    for (const TempFile* f : {&a, &b, &c}) {
      CHECK(mrkit::is_gzip_file(f->path()));
      CHECK(all_lines(f->path()) == expected);
    }
    mrkit::LineReader in(a.path());
    CHECK(in.compressed());
  }

  TEST_CASE("lines longer than the buffer grow it") {
    std::string longtext;
    for (int i = 0; i < 50; ++i) longtext += std::string(static_cast<std::size_t>(37 + i), 'a' + i % 26) + "\n";
    TempFile f;
    write_bytes(f.path(), coretest::bgzf(longtext, 100));
    const auto lines = all_lines(f.path(), 8);
    REQUIRE(lines.size() == 50);
    CHECK(lines[49] == std::string(86, 'a' + 49 % 26));
  }

  TEST_CASE("a truncated gzip stream gives its complete lines, then file_truncated") {
    std::string body;
    for (int i = 0; i < 2000; ++i) body += "rs" + std::to_string(i) + "\t0.5\n";
    const std::string gz = coretest::gzip_member(body);
    TempFile f;
    write_bytes(f.path(), gz.substr(0, gz.size() / 2));
    mrkit::LineReader in(f.path(), 64);
    std::string_view line;
    long n = 0;
    bool threw = false;
    try {
      while (in.next(line)) {
        CHECK(line == "rs" + std::to_string(n) + "\t0.5");
        ++n;
      }
    } catch (const mrkit::ReadError& e) {
      threw = true;
      CHECK(e.kind == "file_truncated");
      CHECK(e.line == n + 1);
    }
    CHECK(threw);
    CHECK(n > 0);
    CHECK(n < 2000);
  }

  // Many BGZF blocks (libdeflate, io/bgzf_stream.hpp), read with 1 to 3 threads.
  std::string numbered(int n) {
    std::string body;
    for (int i = 0; i < n; ++i) body += "rs" + std::to_string(i) + "\t0.5\n";
    return body;
  }

  // Lines read before the ReadError, and the error (kind "" when there was none).
  std::pair<long, mrkit::ReadError> lines_until_error(const std::string& path, int threads) {
    mrkit::LineReader in(path, std::size_t(1) << 22, threads);
    std::string_view line;
    long n = 0;
    try {
      while (in.next(line)) {
        if (line != "rs" + std::to_string(n) + "\t0.5") return {n, mrkit::ReadError("wrong_line", std::string(line))};
        ++n;
      }
    } catch (const mrkit::ReadError& e) {
      return {n, e};
    }
    return {n, mrkit::ReadError("", "")};
  }

  TEST_CASE("BGZF: many blocks give the gzip lines with 1, 2 and 3 threads") {
    const std::string body = numbered(30000);  // ~330 kB: several 64 KiB blocks per batch
    TempFile gz, bg;
    write_bytes(gz.path(), coretest::gzip_member(body));
    write_bytes(bg.path(), coretest::bgzf(body, 65280));
    CHECK(mrkit::bgzf::is_bgzf_file(bg.path()));
    CHECK_FALSE(mrkit::bgzf::is_bgzf_file(gz.path()));
    const auto expected = all_lines(gz.path());
    REQUIRE(expected.size() == 30000);
    for (int threads = 1; threads <= 3; ++threads) {
      CHECK(all_lines(bg.path(), std::size_t(1) << 22, threads) == expected);
      CHECK(all_lines(bg.path(), 8, threads) == expected);  // buffer smaller than a block
    }
    TempFile small;  // many tiny blocks
    write_bytes(small.path(), coretest::bgzf(body.substr(0, 20000), 100));
    CHECK(all_lines(small.path(), std::size_t(1) << 22, 2) == all_lines(small.path()));
  }

  TEST_CASE("BGZF: a corrupt or CRC-failing block gives the lines before it, then file_truncated") {
    const std::string body = numbered(20000);
    const std::string good = coretest::bgzf(body, 20000);  // 11 blocks + EOF block
    // The 6th block, found by its header
    std::size_t at = 0;
    for (int k = 0; k < 5; ++k) at = good.find(std::string("\x1f\x8b\x08\x04", 4), at + 1);
    const std::size_t next = good.find(std::string("\x1f\x8b\x08\x04", 4), at + 1);
    std::string bad = good, badcrc = good;
    for (std::size_t i = at + 30; i < at + 60; ++i) bad[i] = '\xff';
    badcrc[next - 8] = static_cast<char>(badcrc[next - 8] ^ 1);
    TempFile f, g;
    write_bytes(f.path(), bad);
    write_bytes(g.path(), badcrc);
    for (int threads = 1; threads <= 2; ++threads) {
      auto r = lines_until_error(f.path(), threads);
      CHECK(r.second.kind == "file_truncated");
      CHECK(std::string(r.second.what()).find("decompression failed") != std::string::npos);
      CHECK(r.first > 4 * 20000 / 11);  // the lines of the 5 blocks before it
      CHECK(r.first < 6 * 20000 / 11 + 1);
      auto c = lines_until_error(g.path(), threads);
      CHECK(c.second.kind == "file_truncated");
      CHECK(std::string(c.second.what()).find("incorrect data check") != std::string::npos);
      CHECK(c.first > 5 * 20000 / 11 - 1);
    }
  }

  TEST_CASE("BGZF: a file cut inside a block gives what zlib would, then file_truncated") {
    const std::string body = numbered(20000);
    const std::string bg = coretest::bgzf(body, 20000);
    const std::string gz = coretest::gzip_member(body);
    TempFile f, g;
    write_bytes(f.path(), bg.substr(0, bg.size() / 2));
    auto r1 = lines_until_error(f.path(), 1);
    auto r2 = lines_until_error(f.path(), 2);
    CHECK(r1.second.kind == "file_truncated");
    CHECK(r1.second.line == r1.first + 1);
    CHECK(r2.first == r1.first);
    CHECK(std::string(r2.second.what()) == std::string(r1.second.what()));
    // A cut inside the header of a block
    const std::size_t second = bg.find(std::string("\x1f\x8b\x08\x04", 4), 1);
    write_bytes(g.path(), bg.substr(0, second + 7));
    auto h = lines_until_error(g.path(), 1);
    CHECK(h.second.kind == "file_truncated");
  }

  TEST_CASE("BGZF, plain members and a member too large for libdeflate's window read as one text") {
    const std::string body = numbered(600000);  // 6.6 MB: more than a 4 MiB batch
    const std::size_t a = body.find('\n', 10000) + 1, b = body.find('\n', 20000) + 1;
    TempFile f, g;
    // BGZF blocks, a small plain member (libdeflate), then one too large (zlib from there on),
    // then bytes that are not a gzip member (ignored, as zlib does)
    write_bytes(f.path(), coretest::bgzf(body.substr(0, a), 1000) + coretest::gzip_member(body.substr(a, b - a)) +
                              coretest::gzip_member(body.substr(b)) + "trailing garbage");
    // members of 100 kB, as data.table::fwrite writes them: all through libdeflate
    std::string members;
    for (std::size_t i = 0; i < body.size();) {
      const std::size_t k = body.find('\n', std::min(body.size(), i + 100000));
      const std::size_t j = k == std::string::npos ? body.size() : k + 1;
      members += coretest::gzip_member(body.substr(i, j - i));
      i = j;
    }
    write_bytes(g.path(), members);
    for (int threads = 1; threads <= 2; ++threads) {
      for (const TempFile* t : {&f, &g}) {
        auto r = lines_until_error(t->path(), threads);
        CHECK(r.second.kind == "");
        CHECK(r.first == 600000);
      }
    }
  }

  TEST_CASE("a missing file is file_not_found") {
    CHECK_THROWS_AS(mrkit::LineReader("/nonexistent/mrkit-core-test"), mrkit::ReadError);
  }
}

TEST_SUITE("sumstats reader") {
  TEST_CASE("header: first line that is neither blank nor ##; separator detected") {
    TempFile f;
    write_bytes(f.path(), "##meta\n\nSNP,beta,se\nrs1,0.1,0.2\n");
    const auto h = mrkit::read_header(f.path());
    CHECK(h.line == 3);
    CHECK(h.sep == ',');
    CHECK(h.fields == std::vector<std::string>{"SNP", "beta", "se"});
    CHECK(h.first_row == std::vector<std::string>{"rs1", "0.1", "0.2"});
  }

  TEST_CASE("header that is not text: file_encoding naming the line and byte") {
    TempFile f;
    write_bytes(f.path(), std::string("\n\x89PNG\r\n\x1a\n\0\0\0", 12));
    try {
      mrkit::read_header(f.path());
      FAIL("no error");
    } catch (const mrkit::ReadError& e) {
      CHECK(e.kind == "file_encoding");
      CHECK(e.line == 2);
      CHECK(std::string(e.what()).find("byte 0x89 at position 1") != std::string::npos);
    }
    TempFile empty;
    write_bytes(empty.path(), "\n\n");
    CHECK_THROWS_AS(mrkit::read_header(empty.path()), mrkit::ReadError);
  }

  TEST_CASE("TwoSampleMR layout: p filter, SNP filter, missing codes, malformed and unparsable lines") {
    const std::vector<std::string> hd{"SNP", "beta", "se", "pval", "effect_allele", "other_allele", "eaf"};
    TempFile f;
    write_bytes(f.path(), join(hd, '\t') + "\n"
                "rs1\t0.1\t0.01\t1e-10\tA\tG\t0.3\n"
                "rs2\t0.2\t0.05\t0.2\tC\tT\t0.4\n"         // p above threshold
                "RS3\t-0.3\t0.02\t2E-9\tt\tc\tNA\n"        // upper-case id, lower-case alleles
                "rs4\t0.1\t0.01\n"                         // 3 fields: malformed
                "# a comment\n"
                "rs5\tabc\t0.01\t1e-12\tA\tG\t.\n"         // beta not a number
                "rs6\t0.5\t0.1\t1e-20\tA\tG\t0.1\n");      // not in the SNP set
    auto s = spec_for(hd, {{"SNP", mrkit::f_snp}, {"beta", mrkit::f_beta}, {"se", mrkit::f_se},
                           {"pval", mrkit::f_pval}, {"effect_allele", mrkit::f_effect_allele},
                           {"other_allele", mrkit::f_other_allele}, {"eaf", mrkit::f_eaf}});
    s.pval_threshold = 5e-8;
    s.filter_snps = true;
    s.snps = {"rs1", "rs2", "rs3", "rs4", "rs5"};
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.lines == 7);
    CHECK(r.kept == 3);
    CHECK(r.filtered_pval == 1);
    CHECK(r.filtered_snp == 1);
    CHECK(r.malformed == 1);
    CHECK(r.comment == 1);
    CHECK(r.unparsable[mrkit::f_beta] == 1);
    CHECK(r.text[mrkit::o_snp] == std::vector<std::string>{"rs1", "RS3", "rs5"});
    CHECK(r.text[mrkit::o_effect_allele] == std::vector<std::string>{"A", "t", "A"});
    CHECK(r.num[mrkit::o_beta][1] == -0.3);
    CHECK(std::isnan(r.num[mrkit::o_beta][2]));
    CHECK(std::isnan(r.num[mrkit::o_eaf][1]));
    REQUIRE(r.prob_line.size() == 2);
    CHECK(r.prob_line[0] == 5);
    CHECK(r.prob_column[0] == "pval");  // first missing field of the short line
    CHECK(r.prob_line[1] == 7);
    CHECK(r.prob_column[1] == "beta");
    CHECK(r.prob_value[1] == "abc");
  }

  TEST_CASE("p-value-first path: lines it cannot judge alone are counted as by the full path") {
    const std::vector<std::string> hd{"SNP", "A1", "A2", "beta", "se", "P", "TEST"};
    TempFile f;
    write_bytes(f.path(), join(hd, ',') + "\n"
                "rs1,A,G,0.1,0.01,1e-10,ADD\n"      // kept
                "rs2,A,G,0.1,0.01, 0.3 ,ADD\n"      // filtered (field trimmed)
                "rs3,A,G,0.1,0.01,0.3,DOM\n"        // TEST filter first
                "rs4,A,G,0.1,0.01,0.3\n"            // a field missing: malformed
                "rs5,\xC3\x28,G,0.1,0.01,0.3,ADD\n"  // not UTF-8: malformed
                "rs6,A,G,0.1,0.01,x,ADD\n"          // p not a number: from beta/se, kept
                "rs7,A,G,0.001,0.01,NA,ADD\n"       // p missing: from beta/se, filtered
                "\"rs8\",A,G,0.1,0.01,0.2,ADD\n"  // quoted: filtered by the full path
                "rs9,A,G,0.1,0.01,5e-8,ADD\n"       // at the threshold: filtered
                "rs10,A,G,0.1,0.01,1e-400,ADD\n");  // below the double range: 0, kept
    auto s = spec_for(hd, {{"SNP", mrkit::f_snp}, {"A1", mrkit::f_effect_allele}, {"A2", mrkit::f_other_allele},
                           {"beta", mrkit::f_beta}, {"se", mrkit::f_se}, {"P", mrkit::f_pval},
                           {"TEST", mrkit::f_test}}, ',');
    s.pval_threshold = 5e-8;
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.lines == 10);
    CHECK(r.kept == 3);
    CHECK(r.filtered_pval == 4);
    CHECK(r.filtered_test == 1);
    CHECK(r.malformed == 2);
    CHECK(r.unparsable[mrkit::f_pval] == 1);
    CHECK(r.text[mrkit::o_snp] == std::vector<std::string>{"rs1", "rs6", "rs10"});
    REQUIRE(r.prob_line.size() == 3);
    CHECK(r.prob_line == std::vector<long>{5, 6, 7});
    // -log10 p column: the same decisions
    const std::vector<std::string> hl{"SNP", "beta", "se", "LOG10P"};
    TempFile g;
    write_bytes(g.path(), join(hl, '\t') + "\nrs1\t0.1\t0.01\t10\nrs2\t0.1\t0.01\t2\nrs3\t0.1\t0.01\tx\n");
    auto sl = spec_for(hl, {{"SNP", mrkit::f_snp}, {"beta", mrkit::f_beta}, {"se", mrkit::f_se},
                            {"LOG10P", mrkit::f_log10p}});
    sl.pval_threshold = 5e-8;
    const auto rl = mrkit::SumstatsReader(sl).read(g.path());
    CHECK(rl.kept == 2);  // rs1 (p = 1e-10) and rs3 (p from beta/se)
    CHECK(rl.filtered_pval == 1);
  }

  TEST_CASE("GWAS-SSF layout: odds ratio with 95% CI, chr:pos when the rsid is missing") {
    const std::vector<std::string> hd{"chromosome", "base_pair_location", "effect_allele", "other_allele",
                                      "odds_ratio", "ci_lower", "ci_upper", "p_value", "rsid"};
    TempFile f;
    write_bytes(f.path(), join(hd, '\t') + "\n1\t1000\tA\tG\t2\t1\t4\t0.01\tNA\n");
    auto s = spec_for(hd, {{"chromosome", mrkit::f_chr}, {"base_pair_location", mrkit::f_pos},
                           {"effect_allele", mrkit::f_effect_allele}, {"other_allele", mrkit::f_other_allele},
                           {"odds_ratio", mrkit::f_odds_ratio}, {"ci_lower", mrkit::f_ci_lower},
                           {"ci_upper", mrkit::f_ci_upper}, {"p_value", mrkit::f_pval}, {"rsid", mrkit::f_snp}});
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    REQUIRE(r.kept == 1);
    CHECK(r.text[mrkit::o_snp][0] == "1:1000");
    CHECK(r.num[mrkit::o_beta][0] == doctest::Approx(std::log(2.0)).epsilon(1e-15));
    // se = (log 4 - log 1) / (2 * qnorm(0.975))
    CHECK(r.num[mrkit::o_se][0] == doctest::Approx(std::log(4.0) / (2 * 1.959963984540054)).epsilon(1e-15));
    CHECK(r.num[mrkit::o_pos][0] == 1000);
  }

  TEST_CASE("FinnGen layout: -log10 p, comma-separated rsids") {
    const std::vector<std::string> hd{"#chrom", "pos", "ref", "alt", "rsids", "mlogp", "beta", "sebeta", "af_alt"};
    TempFile f;
    write_bytes(f.path(), coretest::gzip_member(join(hd, '\t') + "\n1\t5\tA\tG\trs7,rs8\t3\t0.2\t0.05\t0.25\n"));
    auto s = spec_for(hd, {{"#chrom", mrkit::f_chr}, {"pos", mrkit::f_pos}, {"ref", mrkit::f_other_allele},
                           {"alt", mrkit::f_effect_allele}, {"rsids", mrkit::f_snp}, {"mlogp", mrkit::f_log10p},
                           {"beta", mrkit::f_beta}, {"sebeta", mrkit::f_se}, {"af_alt", mrkit::f_eaf}});
    s.pval_threshold = 0.01;  // p = 0.001 passes
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.compressed);
    REQUIRE(r.kept == 1);
    CHECK(r.text[mrkit::o_snp][0] == "rs7");
    CHECK(r.num[mrkit::o_pval][0] == doctest::Approx(0.001).epsilon(1e-14));
    CHECK(r.text[mrkit::o_effect_allele][0] == "G");
  }

  TEST_CASE("PLINK 2 layout: A1 with REF/ALT gives the other allele; TEST filter") {
    const std::vector<std::string> hd{"#CHROM", "POS", "ID", "REF", "ALT", "A1", "TEST", "BETA", "SE", "P"};
    TempFile f;
    write_bytes(f.path(), join(hd, '\t') + "\n"
                "1\t10\trs1\tA\tG\tG\tADD\t0.1\t0.01\t1e-5\n"
                "1\t10\trs1\tA\tG\tG\tDOMDEV\t0.3\t0.01\t1e-5\n"
                "1\t20\trs2\tC\tT\tC\tADD\t-0.2\t0.02\t1e-3\n");
    auto s = spec_for(hd, {{"#CHROM", mrkit::f_chr}, {"POS", mrkit::f_pos}, {"ID", mrkit::f_snp},
                           {"REF", mrkit::f_ref}, {"ALT", mrkit::f_alt}, {"A1", mrkit::f_a1},
                           {"TEST", mrkit::f_test}, {"BETA", mrkit::f_beta}, {"SE", mrkit::f_se}, {"P", mrkit::f_pval}});
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.filtered_test == 1);
    REQUIRE(r.kept == 2);
    CHECK(r.text[mrkit::o_effect_allele] == std::vector<std::string>{"G", "C"});
    CHECK(r.text[mrkit::o_other_allele] == std::vector<std::string>{"A", "T"});
  }

  TEST_CASE("METAL layout: beta and se from Z, allele frequency and N") {
    const std::vector<std::string> hd{"MarkerName", "Allele1", "Allele2", "Freq1", "Zscore", "Weight", "P-value"};
    TempFile f;
    write_bytes(f.path(), join(hd, ' ') + "\nrs9  a  g  0.5  2  98  0.0455\n");
    auto s = spec_for(hd, {{"MarkerName", mrkit::f_snp}, {"Allele1", mrkit::f_effect_allele},
                           {"Allele2", mrkit::f_other_allele}, {"Freq1", mrkit::f_eaf}, {"Zscore", mrkit::f_z},
                           {"Weight", mrkit::f_n}, {"P-value", mrkit::f_pval}},
                      mrkit::kWhitespaceSep);
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    REQUIRE(r.kept == 1);
    // se = 1 / sqrt(2 f (1 - f) (n + z^2)) = 1 / sqrt(0.5 * 102) = 1 / sqrt(51); beta = z se
    CHECK(r.num[mrkit::o_se][0] == doctest::Approx(1 / std::sqrt(51.0)).epsilon(1e-15));
    CHECK(r.num[mrkit::o_beta][0] == doctest::Approx(2 / std::sqrt(51.0)).epsilon(1e-15));
  }

  TEST_CASE("missing p-value inferred from beta/se for the threshold (regenie layout)") {
    const std::vector<std::string> hd{"CHROM", "GENPOS", "ID", "ALLELE0", "ALLELE1", "BETA", "SE", "LOG10P"};
    TempFile f;
    write_bytes(f.path(), join(hd, ' ') + "\n1 1 rs1 A G 0.6 0.1 NA\n1 2 rs2 A G 0.1 0.1 NA\n");
    auto s = spec_for(hd, {{"CHROM", mrkit::f_chr}, {"GENPOS", mrkit::f_pos}, {"ID", mrkit::f_snp},
                           {"ALLELE0", mrkit::f_other_allele}, {"ALLELE1", mrkit::f_effect_allele},
                           {"BETA", mrkit::f_beta}, {"SE", mrkit::f_se}, {"LOG10P", mrkit::f_log10p}},
                      mrkit::kWhitespaceSep);
    s.pval_threshold = 5e-8;  // z = 6 gives p = 2e-9; z = 1 does not pass
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.kept == 1);
    CHECK(r.filtered_pval == 1);
    CHECK(r.text[mrkit::o_snp][0] == "rs1");
  }

  TEST_CASE("GWAS-VCF records: FORMAT keys, a missing key, multi-allelic records skipped") {
    const std::vector<std::string> hd{"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "trait"};
    TempFile f;
    write_bytes(f.path(), "##fileformat=VCFv4.2\n" + join(hd, '\t') + "\n"
                "1\t100\trs1\tA\tG\t.\tPASS\t.\tES:SE:LP:AF:SS\t0.1:0.02:5:0.2:1000\n"
                "1\t200\trs2\tC\tT,G\t.\tPASS\t.\tES:SE:LP:AF:SS\t0.1:0.02:5:0.2:1000\n"
                "1\t300\trs3\tG\tA\t.\tPASS\t.\tES:SE:LP\t-0.2:0.05:2\n");
    mrkit::SumstatsSpec s = spec_for(hd, {{"#CHROM", mrkit::f_chr}, {"POS", mrkit::f_pos}, {"ID", mrkit::f_snp},
                                          {"REF", mrkit::f_other_allele}, {"ALT", mrkit::f_effect_allele}});
    s.col[mrkit::f_alt] = 4;
    s.header_line = 2;
    s.vcf = true;
    s.vcf_format_col = 8;
    s.vcf_sample_col = 9;
    s.vcf_key[mrkit::f_beta] = "ES";
    s.vcf_key[mrkit::f_se] = "SE";
    s.vcf_key[mrkit::f_log10p] = "LP";
    s.vcf_key[mrkit::f_eaf] = "AF";
    s.vcf_key[mrkit::f_n] = "SS";
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.multiallelic == 1);
    REQUIRE(r.kept == 2);
    CHECK(r.num[mrkit::o_beta] == std::vector<double>{0.1, -0.2});
    CHECK(r.num[mrkit::o_pval][0] == doctest::Approx(1e-5).epsilon(1e-14));
    CHECK(r.num[mrkit::o_pval][1] == doctest::Approx(1e-2).epsilon(1e-14));
    CHECK(std::isnan(r.num[mrkit::o_eaf][1]));
    CHECK(std::isnan(r.num[mrkit::o_samplesize][1]));
  }

  TEST_CASE("lines whose text columns are not UTF-8 are skipped and named; too many fail") {
    const std::vector<std::string> hd{"SNP", "beta", "se", "effect_allele"};
    TempFile f;
    write_bytes(f.path(), join(hd, '\t') + "\nrs1\t0.1\t0.01\tA\nrs\xFF\t0.1\t0.01\tA\nrs3\t0.1\t0.01\t\xC3\n"
                                           "rs4\t\x80\t0.01\tG\n");
    auto s = spec_for(hd, {{"SNP", mrkit::f_snp}, {"beta", mrkit::f_beta}, {"se", mrkit::f_se},
                           {"effect_allele", mrkit::f_effect_allele}});
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.kept == 2);
    CHECK(r.malformed == 2);
    CHECK(r.text[mrkit::o_snp] == std::vector<std::string>{"rs1", "rs4"});
    REQUIRE(r.prob_line.size() == 3);
    CHECK(r.prob_line[0] == 3);
    CHECK(r.prob_column[0] == "SNP");
    CHECK(r.prob_what[0] == "byte 0xFF at position 3 is not UTF-8 text; line skipped");
    CHECK(r.prob_value[0] == "rs\\xFF\t0.1\t0.01\tA");
    CHECK(r.prob_column[1] == "effect_allele");
    CHECK(r.prob_column[2] == "beta");  // a non-number: NA with its value escaped
    CHECK(r.prob_value[2] == "\\x80");
    for (const auto& v : r.prob_value) CHECK(mrkit::is_valid_text(v));

    s.max_malformed = 1;
    try {
      mrkit::SumstatsReader(s).read(f.path());
      FAIL("no error");
    } catch (const mrkit::ReadError& e) {
      CHECK(e.kind == "file_malformed");
      CHECK(e.line == 4);
      CHECK(e.column == "effect_allele");
    }
  }

  TEST_CASE("fuzz regression: a position that is not text made a chr:pos identifier that is not text") {
    // Found by fuzz-sumstats (GWAS-SSF layout without rsid): "X,2\xD3,..." gave SNP "X:2\xD3".
    const std::vector<std::string> hd{"chromosome", "base_pair_location", "effect_allele", "other_allele",
                                      "odds_ratio", "ci_lower", "ci_upper"};
    TempFile f;
    write_bytes(f.path(), join(hd, ',') + "\n1,1000,A,G,1.2,1.1,1.31\nX,2\xD3,T,C,0.9,0.8,1.01\n");
    auto s = spec_for(hd, {{"chromosome", mrkit::f_chr}, {"base_pair_location", mrkit::f_pos},
                           {"effect_allele", mrkit::f_effect_allele}, {"other_allele", mrkit::f_other_allele},
                           {"odds_ratio", mrkit::f_odds_ratio}, {"ci_lower", mrkit::f_ci_lower},
                           {"ci_upper", mrkit::f_ci_upper}},
                      ',');
    const auto r = mrkit::SumstatsReader(s).read(f.path());
    CHECK(r.kept == 1);
    CHECK(r.malformed == 1);
    CHECK(r.text[mrkit::o_snp] == std::vector<std::string>{"1:1000"});
    REQUIRE(r.prob_column.size() == 1);
    CHECK(r.prob_column[0] == "base_pair_location");
    CHECK(r.prob_what[0] == "byte 0xD3 at position 2 is not UTF-8 text; line skipped");
  }

  TEST_CASE("no usable line at all is file_malformed naming the first bad line") {
    const std::vector<std::string> hd{"SNP", "beta", "se"};
    TempFile f;
    write_bytes(f.path(), "SNP\tbeta\tse\nrs1\t0.1\n\nrs2\n");
    auto s = spec_for(hd, {{"SNP", mrkit::f_snp}, {"beta", mrkit::f_beta}, {"se", mrkit::f_se}});
    try {
      mrkit::SumstatsReader(s).read(f.path());
      FAIL("no error");
    } catch (const mrkit::ReadError& e) {
      CHECK(e.kind == "file_malformed");
      CHECK(e.line == 2);
      CHECK(e.column == "se");
    }
  }
}

TEST_SUITE("PLINK .bed/.bim/.fam") {
  // 5 samples, 2 variants. Codes (2 bits, first sample lowest): 00 A1/A1, 01 missing,
  // 10 het, 11 A2/A2. Variant 1: A1A1 het A2A2 miss A1A1 -> 0x78 0x00.
  // Variant 2: het het het het A2A2 -> 0xAA 0x03.
  struct Panel {
    TempFile f{".bed"};
    std::string prefix;
    Panel(const std::string& bed_bytes, const std::string& bim, const std::string& fam) {
      prefix = f.stem();
      write_bytes(f.path(), bed_bytes);
      write_bytes(f.sibling(".bim"), bim);
      write_bytes(f.sibling(".fam"), fam);
    }
  };
  const std::string bim = "1\trs1\t0\t100\tA\tG\n1 rs2 0.5 200 C T\r\n";
  const std::string fam = "f1 i1 0 0 1 -9\nf2 i2 0 0 1 -9\nf3 i3 0 0 2 -9\nf4 i4 0 0 2 -9\nf5 i5 0 0 1 -9\n";
  const std::string bed = std::string("\x6c\x1b\x01\x78\x00\xAA\x03", 7);

  TEST_CASE("dosages, frequencies, bit planes and pairwise r from a hand-written panel") {
    Panel p(bed, bim, fam);
    mrkit::PlinkBed b(p.prefix);
    CHECK(b.n_samples() == 5);
    REQUIRE(b.n_variants() == 2);
    CHECK(b.bim().id == std::vector<std::string>{"rs1", "rs2"});
    CHECK(b.bim().a2[1] == "T");
    CHECK(b.bim().pos[1] == 200);
    double d[5];
    b.dosages(0, d);
    CHECK(d[0] == 2);
    CHECK(d[1] == 1);
    CHECK(d[2] == 0);
    CHECK(std::isnan(d[3]));
    CHECK(d[4] == 2);
    std::size_t nobs = 0;
    CHECK(b.a1_frequency(0, &nobs) == 5.0 / 8.0);
    CHECK(nobs == 4);
    CHECK(b.a1_frequency(1) == 4.0 / 10.0);
    const mrkit::GenoBitSet bits(b, {0, 1});
    CHECK(bits[0].n_hom1 == 2);  // padding genotypes of the last byte are not counted
    CHECK(bits[0].n_het == 1);
    CHECK(bits[0].n_hom2 == 1);
    CHECK_FALSE(bits[0].complete);
    CHECK(bits[1].n_het == 4);
    CHECK(bits[1].n_hom2 == 1);
    CHECK(bits[1].complete);
    // Pairwise-complete samples 1, 2, 3, 5: x = 2 1 0 2, y = 1 1 1 0; r = -0.75 / sqrt(2.75 * 0.75)
    const double r = mrkit::dosage_r(mrkit::pair_table(bits[0], bits[1], bits.n_words()));
    CHECK(r == doctest::Approx(-0.75 / std::sqrt(2.75 * 0.75)).epsilon(1e-14));
    CHECK_THROWS_AS(b.dosages(2, d), std::out_of_range);
  }

  TEST_CASE("the compact .bim index: chromosome runs, wide positions, repeated IDs, look-ups") {
    // Chromosome 1 comes back after 2; a position beyond 2^31 (stored wide from then on), a
    // negative one and one with '+'; rs2 repeated (the first row keeps it); CRLF; and enough
    // lines that the file spans several 1 MiB read blocks.
    std::string text = "1\trs1\t0\t100\tA\tG\n2 rs2 0 5 C T\r\n1 rs3 0 3000000000 A C\n"
                       "X rs2 0 -7 G T\n1 rs4 0 +42 A T\n\n";
    const std::size_t extra = 70000;
    for (std::size_t k = 0; k < extra; ++k) {
      text += "22 variant_with_a_long_name_" + std::to_string(k) + " 0 " + std::to_string(k) + " A G\n";
    }
    const std::size_t n = 5 + extra;
    std::string bed_bytes("\x6c\x1b\x01", 3);
    bed_bytes.append(n, '\0');
    Panel p(bed_bytes, text, "f1 i1 0 0 1 -9\n");
    mrkit::PlinkBed b(p.prefix);
    REQUIRE(b.n_variants() == n);
    const mrkit::BimIndex& x = b.bim_index();
    CHECK(x.chr_name(x.chr(0)) == "1");
    CHECK(x.chr_name(x.chr(1)) == "2");
    CHECK(x.chr(2) == x.chr(0));
    CHECK(x.chr_name(x.chr(3)) == "X");
    CHECK(x.chr(4) == x.chr(0));
    CHECK(x.chr_name(x.chr(n - 1)) == "22");
    CHECK(x.pos(2) == 3000000000LL);
    CHECK(x.pos(3) == -7);
    CHECK(x.pos(4) == 42);
    CHECK(x.pos(n - 1) == static_cast<long long>(extra - 1));
    CHECK(x.id(1) == "rs2");
    CHECK(x.id(n - 1) == "variant_with_a_long_name_" + std::to_string(extra - 1));
    const std::vector<std::string> q = {"rs2", "absent", "rs4", "variant_with_a_long_name_12345", "rs1", "rs2", ""};
    const std::vector<std::string_view> keys(q.begin(), q.end());
    const std::vector<long> want = {1, -1, 4, 5 + 12345, 0, 1, -1};
    // The first 7 look-ups scan the IDs; from the 8th a hash table of all IDs is used.
    for (int round = 0; round < 10; ++round) CHECK(x.find_all(keys) == want);
    CHECK(x.find("rs3") == 2);
    // The full table of strings agrees with the index.
    const mrkit::BimTable& t = b.bim();
    REQUIRE(t.size() == n);
    CHECK(t.chr[3] == "X");
    CHECK(t.pos[2] == 3000000000LL);
    CHECK(t.id[4] == "rs4");
    CHECK(t.a2[1] == "T");
  }

  TEST_CASE("a .bed whose size does not match, wrong magic, individual-major, bad .bim rows") {
    {
      Panel p(bed.substr(0, 6), bim, fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("the .bim/.fam imply 7"), std::invalid_argument);
    }
    {
      Panel p(std::string("\x6c\x1c\x01\x78\x00\xAA\x03", 7), bim, fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("wrong magic"), std::invalid_argument);
    }
    {
      Panel p(std::string("\x6c\x1b\x00\x78\x00\xAA\x03", 7), bim, fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("individual-major"), std::invalid_argument);
    }
    {
      Panel p(bed, "1 rs1 0 100 A\n", fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("line 1: expected 6 columns"), std::invalid_argument);
    }
    {
      Panel p(bed, "1 rs1 0 100 A G\n1 rs2 0 2e5 C T\n", fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("line 2: base-pair position '2e5'"), std::invalid_argument);
    }
    {
      Panel p(bed, "1 rs1 0 100 A G\n1 rs\xFE 0 200 C T\n", fam);
      CHECK_THROWS_WITH_AS(mrkit::PlinkBed(p.prefix), doctest::Contains("line 2: column 2 ('rs\\xFE')"), std::invalid_argument);
    }
    {
      Panel p(std::string("\x6c\x1b\x01", 3), "", "");
      mrkit::PlinkBed b(p.prefix);  // an empty panel is valid
      CHECK(b.n_variants() == 0);
      CHECK(b.n_samples() == 0);
    }
  }
}
