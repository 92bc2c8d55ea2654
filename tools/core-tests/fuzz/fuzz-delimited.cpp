// libFuzzer target: splitting a line into fields under each separator, parsing every field
// as a number, and the text checks. Fields must lie inside the line; printable() must give
// valid UTF-8 of bounded length.
#include <mrkit/io/delimited.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  for (char sep : {'\t', ',', ' ', ';', '|'}) {
    mrkit::split_fields(line, sep, fields);
    for (auto f : fields) {
      if (!f.empty() && (f.data() < line.data() || f.data() + f.size() > line.data() + line.size())) std::abort();
      double v;
      const auto st = mrkit::parse_double(f, v);
      if (st != mrkit::NumStatus::ok && v == v) std::abort();  // not ok -> NaN
      (void)mrkit::is_missing_token(f);
    }
  }
  const std::string p = mrkit::printable(line);
  if (!mrkit::is_valid_text(p) || p.size() > 60 + 4) std::abort();
  if (mrkit::is_valid_text(line) != (mrkit::invalid_text_at(line) == std::string_view::npos)) std::abort();
  if (!mrkit::is_valid_text(line) && !mrkit::is_valid_text(mrkit::not_text_message(line))) std::abort();
  (void)mrkit::detect_separator(line);
  return 0;
}
