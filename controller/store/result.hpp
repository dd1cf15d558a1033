#pragma once
// The store's return values: a value or an error message, and a bare success/error Status.
// No exception crosses the store's interface. Pure data, any thread.

#include <string>
#include <utility>

namespace switchyard::controller::store {

// Success when error is empty.
struct [[nodiscard]] Status {
  std::string error;
  bool ok() const { return error.empty(); }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like std::optional
  static Result failure(std::string error) {
    Result result{T{}};
    result.error_ = error.empty() ? "unknown error" : std::move(error);
    return result;
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Meaningful only when ok(); a default-constructed T otherwise.
  const T& value() const& { return value_; }
  T& value() & { return value_; }
  T&& value() && { return std::move(value_); }

 private:
  T value_;
  std::string error_;
};

}  // namespace switchyard::controller::store
