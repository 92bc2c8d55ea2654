// Writes the seed corpus of each fuzz target: small files in the real layouts (one per
// sumstats preset, GWAS-VCF records, plain/gzip/BGZF/truncated streams, PLINK panels),
// made up here, not copied from any data set.
//   usage: make-seeds <dir>   (creates <dir>/<target>/seed-N)
#include "../test-files.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

void put(const std::string& dir, const std::string& target, int k, const std::string& bytes) {
  const std::string d = dir + "/" + target;
  ::mkdir(d.c_str(), 0755);
  coretest::write_bytes(d + "/seed-" + std::to_string(k), bytes);
}

// Preset index (as in fuzz-util.hpp) and a file in that layout.
struct Seed {
  int preset;
  std::string text;
};

const std::vector<Seed> sumstats_seeds = {
    {0, "SNP\tbeta\tse\tpval\teffect_allele\tother_allele\teaf\tsamplesize\tPhenotype\n"
        "rs1\t0.12\t0.01\t2e-30\tA\tG\t0.3\t10000\tBMI\nrs2\t-0.05\t0.02\t0.01\tc\tt\tNA\t9000\tBMI\n"
        "rs3\t0.2\t0.03\t1.5E-12\tG\tA\t.\t9500\tBMI\n"},
    {1, "chromosome\tbase_pair_location\teffect_allele\tother_allele\tbeta\tstandard_error\t"
        "effect_allele_frequency\tp_value\trsid\n1\t1000\tA\tG\t0.12\t0.01\t0.3\t2e-30\trs1\n"
        "2\t3000\tG\tA\t-0.08\t0.012\t0.2\t4e-9\tNA\n"},
    {1, "chromosome,base_pair_location,effect_allele,other_allele,odds_ratio,ci_lower,ci_upper,p_value,variant_id\n"
        "1,1000,A,G,1.2,1.1,1.31,1e-8,1_1000_G_A\nX,20,T,C,0.9,0.8,1.01,0.07,X_20_C_T\n"},
    {2, "hm_rsid\thm_chrom\thm_pos\thm_effect_allele\thm_other_allele\thm_beta\tstandard_error\t"
        "hm_effect_allele_frequency\tp_value\n rs5\t5\t500\tA\tC\t0.01\t0.002\t0.4\t3e-7\n"},
    {3, "#chrom\tpos\tref\talt\trsids\tnearest_genes\tpval\tmlogp\tbeta\tsebeta\taf_alt\n"
        "1\t13668\tG\tA\trs2691328\tOR4F5\t0.5\t0.30103\t-0.06\t0.09\t0.004\n"
        "1\t14773\tC\tT\trs878915777,rs1\tOR4F5\t1e-10\t10\t0.1\t0.01\t0.02\n"},
    {4, "#CHROM\tPOS\tID\tREF\tALT\tA1\tTEST\tOBS_CT\tBETA\tSE\tT_STAT\tP\n"
        "1\t100\trs1\tA\tG\tG\tADD\t5000\t0.1\t0.02\t5\t5.7e-7\n1\t100\trs1\tA\tG\tG\tDOMDEV\t5000\t0.1\t0.02\t5\t5.7e-7\n"},
    {4, "#CHROM POS ID REF ALT A1 OR LOG(OR)_SE L95 U95 Z_STAT P\n1 10 rs9 C T T 1.1 0.05 0.99 1.21 1.9 0.057\n"},
    {5, "CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P\n"
        "1 55 1:55:A:G A G 0.25 0.98 30000 ADD 0.03 0.01 9 2.56\n"},
    {6, "CHR\tPOS\tMarkerID\tAllele1\tAllele2\tAC_Allele2\tAF_Allele2\timputationInfo\tN\tBETA\tSE\tTstat\tvar\tp.value\n"
        "1\t100\trs1\tA\tG\t20\t0.1\t1\t100\t0.5\t0.2\t2.5\t0.04\t0.012\n"},
    {7, "SNP\tCHR\tBP\tGENPOS\tALLELE1\tALLELE0\tA1FREQ\tINFO\tBETA\tSE\tP_BOLT_LMM_INF\tP_BOLT_LMM\n"
        "rs1\t1\t100\t0.1\tA\tG\t0.3\t0.99\t0.01\t0.002\t1e-6\t9e-7\n"},
    {8, "MarkerName\tAllele1\tAllele2\tFreq1\tEffect\tStdErr\tP-value\tDirection\n"
        "rs1\ta\tg\t0.3\t0.02\t0.004\t5e-7\t++\nrs2\tt\tc\t0.6\t-0.01\t0.004\t0.01\t-+\n"},
    {8, "MarkerName Allele1 Allele2 Zscore Weight P-value\nrs9 a g 2 98 0.0455\n"},
};

const std::vector<std::string> vcf_bodies = {
    "1\t100\trs1\tA\tG\t.\tPASS\tAF=0.2\tES:SE:LP:AF:SS:ID\t0.1:0.02:5.3:0.2:1000:rs1\n",
    "1\t200\trs2\tC\tT,G\t.\tPASS\t.\tES:SE:LP:AF:SS:ID\t0.1:0.02:5:0.2:1000:rs2\n"
    "2\t300\t.\tG\tA\t.\tPASS\t.\tES:SE:LP\t-0.2:0.05:2\n",
    "1\t400\trs4\tA\tC\t.\t.\t.\tES:SE:LP:NC:SS:EZ\t0.3:0.1:.:500:2000:3\n",
};

// Two-byte little-endian lengths of .bim and .fam, then .bim, .fam, .bed.
std::string plink_input(const std::string& bim, const std::string& fam, const std::string& bed) {
  std::string s;
  coretest::put_le(s, static_cast<std::uint32_t>(bim.size()), 2);
  coretest::put_le(s, static_cast<std::uint32_t>(fam.size()), 2);
  return s + bim + fam + bed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  ::mkdir(dir.c_str(), 0755);
  int k = 0;
  for (const auto& s : sumstats_seeds) {
    put(dir, "fuzz-sumstats", k++, std::string(1, static_cast<char>(s.preset)) + s.text);
    put(dir, "fuzz-sumstats", k++, std::string(1, static_cast<char>(s.preset + 9)) + coretest::gzip_member(s.text));
    put(dir, "fuzz-sumstats", k++, std::string(1, static_cast<char>(s.preset)) + coretest::bgzf(s.text, 50));
  }
  k = 0;
  for (const auto& s : sumstats_seeds) {
    std::size_t a = 0, b;
    while ((b = s.text.find('\n', a)) != std::string::npos && a < s.text.size()) {
      put(dir, "fuzz-delimited", k++, s.text.substr(a, b - a));
      a = b + 1;
    }
  }
  put(dir, "fuzz-delimited", k++, "\"quoted, field\",\"unterminated\n");
  put(dir, "fuzz-delimited", k++, "Größe\t1E-400\t-1e400\tInf\tN/A\t\xff\xfe");
  k = 0;
  for (const auto& v : vcf_bodies) put(dir, "fuzz-vcf", k++, v);
  k = 0;
  const std::string text = sumstats_seeds[0].text + sumstats_seeds[4].text;
  put(dir, "fuzz-gzip", k++, std::string(1, 3) + text);
  put(dir, "fuzz-gzip", k++, std::string(1, 2) + coretest::gzip_member(text));
  put(dir, "fuzz-gzip", k++, std::string(1, 1) + coretest::gzip_member(text.substr(0, 40)) +
                                 coretest::gzip_member(text.substr(40)));
  put(dir, "fuzz-gzip", k++, std::string(1, 4) + coretest::bgzf(text, 30));
  const std::string gz = coretest::gzip_member(text);
  put(dir, "fuzz-gzip", k++, std::string(1, 0) + gz.substr(0, gz.size() - 9));
  put(dir, "fuzz-gzip", k++, std::string(1, 5) + "a\r\nb\r\r\n\n\nlast");
  k = 0;
  const std::string bim = "1\trs1\t0\t100\tA\tG\n1 rs2 0.5 200 C T\r\n";
  const std::string fam = "f1 i1 0 0 1 -9\nf2 i2 0 0 1 -9\nf3 i3 0 0 2 -9\nf4 i4 0 0 2 -9\nf5 i5 0 0 1 -9\n";
  put(dir, "fuzz-plink", k++, plink_input(bim, fam, std::string("\x6c\x1b\x01\x78\x00\xAA\x03", 7)));
  std::string fam70, bed70 = std::string("\x6c\x1b\x01", 3);
  for (int i = 0; i < 70; ++i) fam70 += "f i" + std::to_string(i) + " 0 0 1 -9\n";
  std::string bim3;
  for (int j = 0; j < 3; ++j) {
    bim3 += "2 v" + std::to_string(j) + " 0 " + std::to_string(100 * (j + 1)) + " A G\n";
    for (int b = 0; b < 18; ++b) bed70.push_back(static_cast<char>((b * 37 + j * 11) & 0xff));
  }
  put(dir, "fuzz-plink", k++, plink_input(bim3, fam70, bed70));
  put(dir, "fuzz-plink", k++, plink_input("", "", std::string("\x6c\x1b\x01", 3)));
  return 0;
}
