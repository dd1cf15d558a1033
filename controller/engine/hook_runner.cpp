#include "controller/engine/hook_runner.hpp"

#include <chrono>

#include "controller/engine/http_exchange.hpp"

namespace switchyard::controller::engine {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> hook_environment(const HookContext& c) {
  std::vector<std::string> env{
      "SWITCHYARD_APP=" + c.app,         "SWITCHYARD_ENV=" + c.env,
      "SWITCHYARD_VERSION=" + c.version, "SWITCHYARD_BASELINE=" + c.baseline,
      "SWITCHYARD_PHASE=" + c.phase,     "SWITCHYARD_STEP=" + std::to_string(c.step),
      "SWITCHYARD_WEIGHT=" + std::to_string(c.weight), "SWITCHYARD_ENDPOINTS=" + joined(c.endpoints)};
  if (c.rollout_id > 0) env.push_back("SWITCHYARD_ROLLOUT_ID=" + std::to_string(c.rollout_id));
  return env;
}

bool status_expected(const config::HookConfig& hook, int status) {
  if (hook.expect_status.empty()) return status >= 200 && status < 300;
  for (const auto expected : hook.expect_status) {
    if (static_cast<int>(expected) == status) return true;
  }
  return false;
}

std::string expected_text(const config::HookConfig& hook) {
  if (hook.expect_status.empty()) return "2xx";
  std::string out;
  for (const auto s : hook.expect_status) out += (out.empty() ? "" : " or ") + std::to_string(s);
  return out;
}

void run_http(const config::HookConfig& hook, const HookContext& context, std::chrono::seconds timeout,
              HookRun& run) {
  HttpExchangeRequest request;
  request.method = hook.method;
  request.url = substitute_hook(hook.http, context);
  request.body = substitute_hook(hook.body, context);
  request.headers = hook.headers;
  request.timeout = timeout;
  run.kind = "http";
  run.target = request.method + " " + request.url;
  auto answer = http_exchange(request);
  if (answer.status != 0) run.http_status = answer.status;
  run.output = "HTTP " + std::to_string(answer.status) + "\n" + answer.body;
  if (run.output.size() > kHookOutputLimit) run.output.erase(0, run.output.size() - kHookOutputLimit);
  if (answer.status == 0) {
    run.output.clear();
    run.error = run.target + ": " + answer.error;
  } else if (!status_expected(hook, answer.status)) {
    run.error = run.target + ": status " + std::to_string(answer.status) + ", expected " + expected_text(hook);
  }
}

}  // namespace

std::string substitute_hook(std::string text, const HookContext& c) {
  replace_all(text, "{app}", c.app);
  replace_all(text, "{env}", c.env);
  replace_all(text, "{version}", c.version);
  replace_all(text, "{baseline}", c.baseline);
  replace_all(text, "{phase}", c.phase);
  replace_all(text, "{step}", std::to_string(c.step));
  replace_all(text, "{weight}", std::to_string(c.weight));
  replace_all(text, "{endpoints}", joined(c.endpoints));
  return text;
}

std::string substitute_hook(std::string text, const std::string& version, const std::string& env) {
  HookContext context;
  context.version = version;
  context.env = env;
  return substitute_hook(std::move(text), context);
}

const std::vector<config::HookConfig>& hooks_of(const config::HooksConfig& hooks, rollout::HookPhase phase) {
  switch (phase) {
    case rollout::HookPhase::pre_deploy: return hooks.pre_deploy;
    case rollout::HookPhase::per_step: return hooks.per_step;
    case rollout::HookPhase::post_deploy: return hooks.post_deploy;
    case rollout::HookPhase::pre_traffic: return hooks.pre_traffic;
    case rollout::HookPhase::on_rollback: return hooks.on_rollback;
  }
  return hooks.pre_deploy;
}

std::vector<HookRun> run_hooks(const std::vector<config::HookConfig>& hooks, const HookContext& context) {
  std::vector<HookRun> runs;
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    const auto& hook = hooks[i];
    const std::chrono::seconds timeout(std::max<std::uint32_t>(1, hook.timeout_s));
    HookRun run;
    run.phase = context.phase;
    run.hook_index = static_cast<std::uint32_t>(i);
    run.started_at = wall_now_ms();
    const auto start = std::chrono::steady_clock::now();
    if (!hook.run.empty()) {
      run.kind = "run";
      run.target = substitute_hook(hook.run, context);
      auto done = run_command(run.target, hook_environment(context), timeout);
      run.exit_code = done.exit_code;
      run.output = std::move(done.output);
      run.error = std::move(done.error);
    } else {
      run_http(hook, context, timeout, run);
    }
    run.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    run.ok = run.error.empty();
    runs.push_back(std::move(run));
    if (!runs.back().ok) break;
  }
  return runs;
}

std::string first_failure(const std::vector<HookRun>& runs) {
  for (const auto& run : runs) {
    if (!run.ok) return run.error;
  }
  return {};
}

std::string run_hooks(const std::vector<config::HookConfig>& hooks, const std::string& version,
                      const std::string& env) {
  HookContext context;
  context.version = version;
  context.env = env;
  return first_failure(run_hooks(hooks, context));
}

}  // namespace switchyard::controller::engine
