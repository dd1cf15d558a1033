// watch_rollout (declared in commands.hpp): `rollout status APP --watch`.
// Polls GET /v1/rollouts/{id}/live every interval and draws a frame: in place (clear screen,
// cursor home) on a terminal, as successive blocks otherwise, one compact JSON document per line
// with --output json. Ends with 0 when the rollout finishes (its result printed) or on Ctrl-C,
// with 1 after --max-seconds or when the controller refuses. An unreachable controller is shown
// and retried: it may be restarting, and the rollout goes on without it.
#include <signal.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "controller/cli/commands.hpp"
#include "controller/cli/render.hpp"

namespace switchyard::controller::cli {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) { g_interrupted = 1; }

// Installs the Ctrl-C handler for the watch's lifetime and restores the previous one after.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

const json::value* first_rollout(const ApiReply& reply) {
  const auto* rollouts =
      reply.json.is_object() ? reply.json.get_object().if_contains("rollouts") : nullptr;
  if (rollouts == nullptr || !rollouts->is_array() || rollouts->get_array().empty()) return nullptr;
  return &rollouts->get_array().front();
}

// The id of the rollout to follow: APP's active one, else its latest. Empty with `message` set
// when there is none or the controller refused.
std::string pick_rollout(const ControllerClient& client, const CliRequest& request,
                         std::string& message) {
  for (const char* active : {"1", ""}) {
    const ApiReply reply = client.get(
        "/v1/rollouts" + query_string({{"app", request.app},
                                       {"env", request.env},
                                       {"active", active},
                                       {"limit", *active != '\0' ? "" : "1"}}));
    if (!reply.ok) {
      message = reply.message;
      return {};
    }
    if (const auto* rollout = first_rollout(reply)) return rollout_id(*rollout);
  }
  message = "no rollout of " + request.app + (request.env.empty() ? "" : " in " + request.env);
  return {};
}

void draw(CliIo& io, const CliRequest& request, const std::string& frame) {
  if (request.global.output == OutputFormat::kJson) {
    io.out << frame;
  } else if (io.out_is_tty) {
    io.out << "\x1b[H\x1b[2J" << frame;
  } else {
    io.out << frame << '\n';
  }
  io.out.flush();
}

// Sleeps until `until`, waking early on Ctrl-C. Returns false when interrupted.
bool wait_until(Clock::time_point until) {
  while (g_interrupted == 0) {
    const auto now = Clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

}  // namespace

int watch_rollout(const ControllerClient& client, const CliRequest& request, CliIo& io) {
  InterruptGuard guard;
  std::string message;
  const std::string id = pick_rollout(client, request, message);
  if (id.empty()) return report_failure(io, message);
  const auto started = Clock::now();
  const auto give_up = started + std::chrono::seconds(request.max_seconds);
  const bool json_output = request.global.output == OutputFormat::kJson;
  for (auto next = started;; next += request.interval) {
    const ApiReply reply = client.get("/v1/rollouts/" + url_encode(id) + "/live");
    if (reply.status != 0 && !reply.ok) return report_failure(io, reply.message);
    if (reply.status == 0) {
      draw(io, request, json_output ? "" : reply.message + " (retrying)\n");
    } else {
      draw(io, request, json_output ? render_json(reply.body, false)
                                    : render_live(reply.json, now_ms(io)));
      const auto* rollout = reply.json.is_object() ? reply.json.get_object().if_contains("rollout")
                                                   : nullptr;
      if (rollout != nullptr && rollout_finished(*rollout)) {
        if (!json_output) io.out << render_outcome(*rollout);
        return 0;
      }
    }
    if (request.max_seconds > 0 && Clock::now() >= give_up)
      return report_failure(io, "rollout " + id + " still running after " +
                                    std::to_string(request.max_seconds) + " s");
    auto until = std::max(next + request.interval, Clock::now());
    if (request.max_seconds > 0) until = std::min(until, give_up);
    if (!wait_until(until)) return 0;  // Ctrl-C: the rollout goes on; watching it is optional
  }
}

}  // namespace switchyard::controller::cli
