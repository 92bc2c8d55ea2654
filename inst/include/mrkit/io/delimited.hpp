// mrkit C++ core: splitting delimited text lines into fields and parsing numbers.
//
// Separators: tab, comma, any single character, or runs of white space. A field that
// starts with a double quote runs to the closing quote (the quotes are dropped, so
// write.table(quote = TRUE) output reads back), and white space around fields is
// trimmed. Missing values are "", "NA", ".", "NaN", "nan", "NULL", "null", "N/A".
// Text handed on must be UTF-8 without NUL bytes (what an R string can hold):
// is_valid_text() checks it, printable() escapes the rest for messages.
#pragma once

#include <charconv>
#include <cstring>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mrkit {

// sep == ' ' means "one or more spaces or tabs".
constexpr char kWhitespaceSep = ' ';

// The separator of a header line: tab if it has one, else comma, else white space.
inline char detect_separator(std::string_view header) {
  if (header.find('\t') != std::string_view::npos) return '\t';
  if (header.find(',') != std::string_view::npos) return ',';
  return kWhitespaceSep;
}

inline bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank_char(s.back())) s.remove_suffix(1);
  return s;
}

// Split `line` into `fields` (cleared first). Returns the number of fields.
inline std::size_t split_fields(std::string_view line, char sep, std::vector<std::string_view>& fields) {
  fields.clear();
  const char* p = line.data();
  const char* const end = p + line.size();
  if (sep == kWhitespaceSep) {
    for (;;) {
      while (p < end && is_blank_char(*p)) ++p;
      if (p >= end) break;
      if (*p == '"') {
        const char* q = p + 1;
        while (q < end && *q != '"') ++q;
        fields.emplace_back(p + 1, static_cast<std::size_t>(q - p - 1));
        p = q < end ? q + 1 : end;
        while (p < end && !is_blank_char(*p)) ++p;  // text glued to the closing quote
      } else {
        const char* q = p;
        while (q < end && !is_blank_char(*q)) ++q;
        fields.emplace_back(p, static_cast<std::size_t>(q - p));
        p = q;
      }
    }
    return fields.size();
  }
  if (line.empty()) return 0;
  for (;;) {
    const char* q = p;
    while (q < end && is_blank_char(*q) && *q != sep) ++q;
    if (q < end && *q == '"') {
      const char* r = q + 1;
      while (r < end && *r != '"') ++r;
      fields.emplace_back(q + 1, static_cast<std::size_t>(r - q - 1));
      p = r < end ? r + 1 : end;
      while (p < end && *p != sep) ++p;
    } else {
      const char* r = static_cast<const char*>(
          std::memchr(p, sep, static_cast<std::size_t>(end - p)));
      if (r == nullptr) r = end;
      fields.emplace_back(trim(std::string_view(p, static_cast<std::size_t>(r - p))));
      p = r;
    }
    if (p >= end) break;
    ++p;  // skip the separator; a trailing separator gives a last empty field
    if (p == end) {
      fields.emplace_back();
      break;
    }
  }
  return fields.size();
}

inline bool is_missing_token(std::string_view s) {
  switch (s.size()) {
    case 0: return true;
    case 1: return s[0] == '.';
    case 2: return s == "NA";
    case 3: return s == "NaN" || s == "nan" || s == "N/A" || s == "NAN";
    case 4: return s == "NULL" || s == "null" || s == "-nan";
    default: return false;
  }
}

// Length of the well-formed UTF-8 character (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF) that starts at s[i]; 0 when there is none or it is a NUL byte.
inline std::size_t utf8_char_length(std::string_view s, std::size_t i) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned c = u[i];
  if (c >= 0x01 && c < 0x80) return 1;
  std::size_t len;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) { len = 3; lo = 0xA0; }
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
  else if (c == 0xED) { len = 3; hi = 0x9F; }
  else if (c == 0xF0) { len = 4; lo = 0x90; }
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) { len = 4; hi = 0x8F; }
  else return 0;  // NUL, a continuation byte, C0/C1 or F5..FF
  if (i + len > s.size()) return 0;
  if (u[i + 1] < lo || u[i + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (u[i + k] < 0x80 || u[i + k] > 0xBF) return 0;
  return len;
}

// Position of the first byte of `s` that is not part of a well-formed UTF-8 character or
// is NUL; npos when `s` is text that R can hold in a string.
inline std::size_t invalid_text_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x01 && c < 0x80) { ++i; continue; }  // the common case
    const std::size_t len = utf8_char_length(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

inline bool is_valid_text(std::string_view s) { return invalid_text_at(s) == std::string_view::npos; }

inline std::string hex_byte(unsigned char c) {
  static const char hex[] = "0123456789ABCDEF";
  return std::string{hex[c >> 4], hex[c & 15]};
}

// `s` cut to about `max_bytes` bytes (at a character boundary) for a message, with every
// byte that is not valid text written as \xNN, so that the result is always valid UTF-8.
inline std::string printable(std::string_view s, std::size_t max_bytes = 60) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max_bytes;) {
    const std::size_t len = utf8_char_length(s, i);
    if (len == 0) {
      out += "\\x" + hex_byte(static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  return out;
}

// What is wrong with `s`, which is not valid text: the first offending byte.
inline std::string not_text_message(std::string_view s) {
  const std::size_t at = invalid_text_at(s);
  if (at == std::string_view::npos) return "";
  return "byte 0x" + hex_byte(static_cast<unsigned char>(s[at])) + " at position " + std::to_string(at + 1) +
         " is not UTF-8 text";
}

enum class NumStatus { ok, missing, bad };

// Parse a whole field as a double. Values beyond the double range become 0 or +-Inf as
// their exponent says (p-values such as 1e-400 are reported by some tools).
inline NumStatus parse_double(std::string_view s, double& out) {
  if (is_missing_token(s)) {
    out = std::numeric_limits<double>::quiet_NaN();
    return NumStatus::missing;
  }
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  double v = 0;
  auto res = std::from_chars(b, e, v);
  if (res.ptr != e || b == e) {
    if (s == "Inf" || s == "inf" || s == "+Inf") { out = std::numeric_limits<double>::infinity(); return NumStatus::ok; }
    if (s == "-Inf" || s == "-inf") { out = -std::numeric_limits<double>::infinity(); return NumStatus::ok; }
    out = std::numeric_limits<double>::quiet_NaN();
    return NumStatus::bad;
  }
  if (res.ec == std::errc::result_out_of_range) {
    const std::size_t epos = s.find_first_of("eE");
    const bool tiny = epos != std::string_view::npos && epos + 1 < s.size() && s[epos + 1] == '-';
    const bool neg = s.front() == '-';
    if (tiny) v = neg ? -0.0 : 0.0;
    else v = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  } else if (res.ec != std::errc()) {
    out = std::numeric_limits<double>::quiet_NaN();
    return NumStatus::bad;
  }
  out = v;
  return NumStatus::ok;
}

}  // namespace mrkit
