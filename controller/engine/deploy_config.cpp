// What a deployment hands its instances: the rendered `config:` overlays as environment
// variables and, when the driver's command names {config_file}, as a JSON file of its own.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "controller/engine/action_executor.hpp"

namespace switchyard::controller::engine {
namespace {

// 0600 from the start (O_CREAT mode), written whole, then renamed over the final name.
std::string write_private_file(const std::string& path, const std::string& text) {
  const auto temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + temp + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);  // an older file of that name may have had other bits
  std::size_t done = 0;
  while (done < text.size()) {
    const auto wrote = ::write(fd, text.data() + done, text.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      ::close(fd);
      return "cannot write " + temp + ": " + std::strerror(errno);
    }
    done += static_cast<std::size_t>(wrote);
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) return "cannot rename " + temp + ": " + std::strerror(errno);
  return {};
}

}  // namespace

std::string ActionExecutor::prepare_deploy(const ExecContext& context, drivers::DeployRequest& request,
                                           ExecOutcome& outcome) {
  const auto secret_versions = this->secret_versions(context.app);
  const auto rendered = overlays_.render(context.app, context.env, secret_versions);
  request.env_vars = rendered.vars;
  request.code_version = code_version(request.version);
  outcome.config_hash = rendered.hash;
  outcome.config_json = rendered.canonical_json;
  if (app(context.app).driver.command.find("{config_file}") == std::string::npos) return {};
  namespace fs = std::filesystem;
  const auto dir = fs::path(config_.controller.state).parent_path() / "instance-config";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  const auto path = dir / (context.app + "-" + context.env + "-" + rendered.hash.substr(0, 12) + ".json");
  if (auto error = write_private_file(path.string(), vars_json(rendered.vars)); !error.empty()) return error;
  request.config_file = fs::absolute(path).string();
  return {};
}

}  // namespace switchyard::controller::engine
