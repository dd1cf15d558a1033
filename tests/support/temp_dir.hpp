#pragma once
#include <string>

namespace switchyard::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
// Owned by the test thread.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `text` to path()/name (replacing it) and returns the full path.
  std::string write_file(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

}  // namespace switchyard::test
