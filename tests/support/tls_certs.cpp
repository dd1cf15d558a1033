#include "tests/support/tls_certs.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

namespace switchyard::test {

std::pair<int, std::string> run_command(const std::string& command) {
  std::string output;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TlsCerts::TlsCerts(std::string dir) : dir_(std::move(dir)) {
  ok_ = run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
            " -subj /CN=switchyard-test-ca -keyout '" + dir_ + "/ca.key' -out '" + dir_ + "/ca.pem'");
}

bool TlsCerts::make_leaf(const std::string& stem, const std::string& cn, const std::vector<std::string>& names) {
  std::string san = "subjectAltName=";
  for (std::size_t i = 0; i < names.size(); ++i) san += (i ? ",DNS:" : "DNS:") + names[i];
  const std::string ext = dir_ + "/" + stem + ".ext";
  std::ofstream(ext) << san << "\n";
  const std::string csr = dir_ + "/" + stem + ".csr";
  return run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=" + cn + "' -keyout '" +
             key(stem) + "' -out '" + csr + "'") &&
         run("openssl x509 -req -days 2 -in '" + csr + "' -CA '" + ca() + "' -CAkey '" + dir_ +
             "/ca.key' -CAcreateserial -extfile '" + ext + "' -out '" + cert(stem) + "'");
}

bool TlsCerts::run(const std::string& command) {
  auto [status, output] = run_command(command);
  if (status != 0) error_ = command + ": " + output;
  return status == 0;
}

}  // namespace switchyard::test
