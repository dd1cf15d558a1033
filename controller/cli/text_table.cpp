#include "controller/cli/text_table.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include <boost/json/serialize.hpp>

namespace switchyard::controller::cli {

TextTable::TextTable(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(rows_.front().size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  std::vector<std::size_t> widths(rows_.front().size(), 0);
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out;
}

std::string format_time_ms(std::int64_t ms_since_epoch) {
  const std::time_t seconds = static_cast<std::time_t>(ms_since_epoch / 1000);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return "-";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string format_duration_ms(std::int64_t ms) {
  const std::int64_t s = std::max<std::int64_t>(ms, 0) / 1000;
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else if (s < 86400) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else {
    std::snprintf(text, sizeof text, "%lldd%02lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  }
  return text;
}

std::string format_percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", fraction * 100.0);
  return text;
}

namespace {

const boost::json::value* member(const boost::json::value& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto* value = object.get_object().if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

}  // namespace

std::string value_text(const boost::json::value& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return std::string(value.get_string());
  return boost::json::serialize(value);
}

std::optional<double> value_number(const boost::json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  if (value.is_double()) return value.get_double();
  return std::nullopt;
}

std::string field_text(const boost::json::value& object, std::string_view key) {
  const auto* value = member(object, key);
  return value == nullptr ? "-" : value_text(*value);
}

std::optional<double> field_number(const boost::json::value& object, std::string_view key) {
  const auto* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  return value_number(*value);
}

std::optional<std::int64_t> field_integer(const boost::json::value& object, std::string_view key) {
  const auto* value = member(object, key);
  if (value != nullptr && value->is_int64()) return value->get_int64();
  const auto number = field_number(object, key);
  if (!number) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*number));
}

bool field_true(const boost::json::value& object, std::string_view key) {
  const auto* value = member(object, key);
  return value != nullptr && value->is_bool() && value->get_bool();
}

}  // namespace switchyard::controller::cli
