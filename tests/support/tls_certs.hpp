#pragma once
// TlsCerts: a throw-away certificate authority for one test, made at run time with the
// `openssl` command line: a CA certificate and leaf certificates for given DNS names (SAN),
// all in a directory the caller owns. Owned by the test thread.

#include <string>
#include <utility>
#include <vector>

namespace switchyard::test {

// Runs `command` through /bin/sh with stderr folded into stdout; returns (exit status, output).
std::pair<int, std::string> run_command(const std::string& command);

class TlsCerts {
 public:
  // Creates DIR/ca.pem and DIR/ca.key. ok() tells whether openssl succeeded.
  explicit TlsCerts(std::string dir);

  bool ok() const { return ok_; }
  std::string ca() const { return dir_ + "/ca.pem"; }
  std::string cert(const std::string& stem) const { return dir_ + "/" + stem + ".pem"; }
  std::string key(const std::string& stem) const { return dir_ + "/" + stem + ".key"; }

  // Writes DIR/STEM.pem and DIR/STEM.key: a certificate signed by the CA with subject CN `cn`
  // and subjectAltName DNS `names`. Returns false (and records why in error()) on failure.
  bool make_leaf(const std::string& stem, const std::string& cn, const std::vector<std::string>& names);
  const std::string& error() const { return error_; }

 private:
  bool run(const std::string& command);

  std::string dir_;
  std::string error_;
  bool ok_ = false;
};

}  // namespace switchyard::test
