// Shared parts of mrkit's libFuzzer targets: bytes to a scratch file, the sumstats presets'
// column names (as R/sumstats.R maps them), and checks that what a reader hands on to R
// is sound (every string UTF-8 text, every column as long as the number of kept rows).
#pragma once
#include <mrkit/io/sumstats_reader.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace fuzzutil {

// A scratch file per process (and per `tag`), rewritten for every input.
inline std::string scratch_path(const std::string& tag) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/mrkit-fuzz-" + std::to_string(::getpid()) + "-" + tag;
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
}

// The sumstats presets: role -> candidate column names (first found wins).
struct Preset {
  const char* name;
  std::vector<std::pair<int, std::vector<const char*>>> cols;
};

inline const std::vector<Preset>& presets() {
  using namespace mrkit;
  static const std::vector<Preset> p = {
      {"twosamplemr", {{f_snp, {"SNP"}}, {f_chr, {"chr"}}, {f_pos, {"pos"}}, {f_effect_allele, {"effect_allele"}},
                       {f_other_allele, {"other_allele"}}, {f_beta, {"beta"}}, {f_se, {"se"}}, {f_eaf, {"eaf"}},
                       {f_pval, {"pval"}}, {f_n, {"samplesize"}}, {f_ncase, {"ncase"}}, {f_ncontrol, {"ncontrol"}},
                       {f_phenotype, {"Phenotype"}}, {f_id, {"id"}}, {f_units, {"units"}}, {f_gene, {"gene"}},
                       {f_z, {"z"}}, {f_info, {"info"}}}},
      {"gwas_ssf", {{f_snp, {"rsid", "variant_id"}}, {f_chr, {"chromosome"}}, {f_pos, {"base_pair_location"}},
                    {f_effect_allele, {"effect_allele"}}, {f_other_allele, {"other_allele"}}, {f_beta, {"beta"}},
                    {f_odds_ratio, {"odds_ratio"}}, {f_ci_lower, {"ci_lower"}}, {f_ci_upper, {"ci_upper"}},
                    {f_se, {"standard_error"}}, {f_eaf, {"effect_allele_frequency"}}, {f_pval, {"p_value"}},
                    {f_log10p, {"neg_log_10_p_value"}}, {f_n, {"n"}}, {f_info, {"info"}}}},
      {"gwas_ssf_hm", {{f_snp, {"hm_rsid", "rsid", "hm_variant_id", "variant_id"}}, {f_chr, {"hm_chrom", "chromosome"}},
                       {f_pos, {"hm_pos", "base_pair_location"}}, {f_effect_allele, {"hm_effect_allele"}},
                       {f_other_allele, {"hm_other_allele"}}, {f_beta, {"hm_beta"}}, {f_odds_ratio, {"hm_odds_ratio"}},
                       {f_ci_lower, {"hm_ci_lower"}}, {f_ci_upper, {"hm_ci_upper"}}, {f_se, {"standard_error"}},
                       {f_eaf, {"hm_effect_allele_frequency"}}, {f_pval, {"p_value"}},
                       {f_log10p, {"neg_log_10_p_value"}}, {f_n, {"n"}}, {f_info, {"info"}}}},
      {"finngen", {{f_snp, {"rsids"}}, {f_chr, {"#chrom"}}, {f_pos, {"pos"}}, {f_other_allele, {"ref"}},
                   {f_effect_allele, {"alt"}}, {f_gene, {"nearest_genes"}}, {f_pval, {"pval"}}, {f_log10p, {"mlogp"}},
                   {f_beta, {"beta"}}, {f_se, {"sebeta"}}, {f_eaf, {"af_alt"}}}},
      {"plink2", {{f_snp, {"ID"}}, {f_chr, {"#CHROM"}}, {f_pos, {"POS"}}, {f_ref, {"REF"}}, {f_alt, {"ALT"}},
                  {f_a1, {"A1"}}, {f_other_allele, {"OMITTED", "AX"}}, {f_beta, {"BETA"}}, {f_odds_ratio, {"OR"}},
                  {f_se, {"SE", "LOG(OR)_SE"}}, {f_ci_lower, {"L95"}}, {f_ci_upper, {"U95"}},
                  {f_z, {"Z_STAT", "T_STAT"}}, {f_pval, {"P"}}, {f_log10p, {"LOG10_P"}}, {f_eaf, {"A1_FREQ"}},
                  {f_n, {"OBS_CT"}}, {f_test, {"TEST"}}}},
      {"regenie", {{f_snp, {"ID"}}, {f_chr, {"CHROM"}}, {f_pos, {"GENPOS"}}, {f_other_allele, {"ALLELE0"}},
                   {f_effect_allele, {"ALLELE1"}}, {f_eaf, {"A1FREQ"}}, {f_info, {"INFO"}}, {f_n, {"N"}},
                   {f_ncase, {"N_CASES"}}, {f_ncontrol, {"N_CONTROLS"}}, {f_test, {"TEST"}}, {f_beta, {"BETA"}},
                   {f_se, {"SE"}}, {f_pval, {"P"}}, {f_log10p, {"LOG10P"}}}},
      {"saige", {{f_snp, {"rsid", "MarkerID", "SNPID"}}, {f_chr, {"CHR"}}, {f_pos, {"POS"}},
                 {f_other_allele, {"Allele1"}}, {f_effect_allele, {"Allele2"}}, {f_eaf, {"AF_Allele2"}},
                 {f_info, {"imputationInfo"}}, {f_n, {"N"}}, {f_ncase, {"N_case", "N.Cases"}},
                 {f_ncontrol, {"N_ctrl", "N.Controls"}}, {f_beta, {"BETA"}}, {f_se, {"SE"}}, {f_pval, {"p.value"}}}},
      {"bolt", {{f_snp, {"SNP"}}, {f_chr, {"CHR"}}, {f_pos, {"BP"}}, {f_effect_allele, {"ALLELE1"}},
                {f_other_allele, {"ALLELE0"}}, {f_eaf, {"A1FREQ"}}, {f_info, {"INFO"}}, {f_beta, {"BETA"}},
                {f_se, {"SE"}}, {f_pval, {"P_BOLT_LMM", "P_BOLT_LMM_INF", "P_LINREG"}}}},
      {"metal", {{f_snp, {"MarkerName"}}, {f_effect_allele, {"Allele1"}}, {f_other_allele, {"Allele2"}},
                 {f_eaf, {"Freq1"}}, {f_beta, {"Effect"}}, {f_se, {"StdErr"}}, {f_z, {"Zscore"}},
                 {f_n, {"Weight", "N", "TotalSampleSize"}}, {f_pval, {"P-value", "P.value", "Pvalue"}}}},
  };
  return p;
}

inline std::string normalised(const std::string& s) {
  std::string out;
  for (std::size_t i = (!s.empty() && s[0] == '#') ? 1 : 0; i < s.size(); ++i)
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))));
  return out;
}

// Column of the first candidate in the header: exact name, then ignoring case and '#'.
inline int match_column(const std::vector<const char*>& cands, const std::vector<std::string>& fields) {
  for (const char* c : cands)
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (fields[k] == c) return static_cast<int>(k);
  for (const char* c : cands)
    for (std::size_t k = 0; k < fields.size(); ++k)
      if (normalised(fields[k]) == normalised(c)) return static_cast<int>(k);
  return -1;
}

inline mrkit::SumstatsSpec spec_from_preset(const Preset& p, const mrkit::HeaderInfo& h) {
  mrkit::SumstatsSpec s;
  s.header = h.fields;
  s.sep = h.sep;
  s.header_line = h.line;
  for (const auto& rc : p.cols) s.col[rc.first] = match_column(rc.second, h.fields);
  return s;
}

// GWAS-VCF as R maps it: fixed columns and the FORMAT keys of the sample column.
inline mrkit::SumstatsSpec spec_vcf(const mrkit::HeaderInfo& h) {
  mrkit::SumstatsSpec s;
  s.header = h.fields;
  s.sep = h.sep;
  s.header_line = h.line;
  if (h.fields.size() < 10) return s;
  s.col[mrkit::f_chr] = 0; s.col[mrkit::f_pos] = 1; s.col[mrkit::f_snp] = 2;
  s.col[mrkit::f_other_allele] = 3; s.col[mrkit::f_effect_allele] = 4; s.col[mrkit::f_alt] = 4;
  s.vcf = true;
  s.vcf_format_col = 8;
  s.vcf_sample_col = 9;
  s.vcf_key[mrkit::f_snp] = "ID";
  s.vcf_key[mrkit::f_beta] = "ES";
  s.vcf_key[mrkit::f_se] = "SE";
  s.vcf_key[mrkit::f_log10p] = "LP";
  s.vcf_key[mrkit::f_eaf] = "AF";
  s.vcf_key[mrkit::f_n] = "SS";
  s.vcf_key[mrkit::f_ncase] = "NC";
  s.vcf_key[mrkit::f_z] = "EZ";
  return s;
}

// What R receives must be sound.
inline void check_result(const mrkit::SumstatsResult& r) {
  for (int i = 0; i < mrkit::kOutTextCount; ++i) {
    if (!r.text_on[i]) continue;
    if (r.text[i].size() != static_cast<std::size_t>(r.kept)) std::abort();
    for (const auto& v : r.text[i])
      if (!mrkit::is_valid_text(v)) std::abort();
  }
  for (int i = 0; i < mrkit::kOutNumCount; ++i)
    if (r.num_on[i] && r.num[i].size() != static_cast<std::size_t>(r.kept)) std::abort();
  for (const auto& v : r.prob_value)
    if (!mrkit::is_valid_text(v)) std::abort();
  for (const auto& v : r.prob_column)
    if (!mrkit::is_valid_text(v)) std::abort();
  if (r.kept + r.malformed + r.multiallelic + r.filtered_pval + r.filtered_snp + r.filtered_test + r.blank +
          r.comment != r.lines)
    std::abort();
}

inline void check_header(const mrkit::HeaderInfo& h) {
  for (const auto& v : h.fields)
    if (!mrkit::is_valid_text(v)) std::abort();
  for (const auto& v : h.first_row)
    if (!mrkit::is_valid_text(v)) std::abort();
}

}  // namespace fuzzutil
