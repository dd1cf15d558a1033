#pragma once
// TextTable: rows of text in aligned columns for people (two spaces between columns, no trailing
// blanks), plus the small formatting helpers the CLI's tables share. A plain value; any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace switchyard::controller::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);  // missing cells are blank
  std::size_t rows() const { return rows_.size() - 1; }  // without the header
  std::string render() const;  // header line, then one line per row, each ending in '\n'

 private:
  std::vector<std::vector<std::string>> rows_;  // rows_[0] is the header
};

// RFC 3339 UTC text, second precision: "2024-05-01T12:00:00Z".
std::string format_time_ms(std::int64_t ms_since_epoch);
// "0s", "45s", "1m05s", "2h03m", "3d04h".
std::string format_duration_ms(std::int64_t ms);
// 0.0123 → "1.23%".
std::string format_percent(double fraction);

// Member `key` of an object as text: strings as they are, numbers and booleans printed, "-" when
// missing or null.
std::string field_text(const boost::json::value& object, std::string_view key);
// Member `key` as a number (integers or doubles); nullopt when missing, null or not a number.
std::optional<double> field_number(const boost::json::value& object, std::string_view key);
std::optional<std::int64_t> field_integer(const boost::json::value& object, std::string_view key);
// The same for a value itself.
std::string value_text(const boost::json::value& value);
std::optional<double> value_number(const boost::json::value& value);
bool field_true(const boost::json::value& object, std::string_view key);

}  // namespace switchyard::controller::cli
