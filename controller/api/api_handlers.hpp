#pragma once
// The controller API's calls (docs/controller-api.md), one function per call, behind handle().
// Control thread: handlers read and change the engine directly and offload proxy calls to the
// BlockingPool, resuming on the control thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include "controller/engine/rollout_engine.hpp"
#include "controller/secrets/secret_store.hpp"

namespace switchyard::controller::engine {
class Notifier;
}
namespace switchyard::controller::dashboard {
class StatsSampler;
}

namespace switchyard::controller::api {

struct ApiRequest {
  std::string method;
  std::string path;                            // without the query
  std::map<std::string, std::string> query;    // decoded
  std::string body;
  // Who made the call, for audit records (forced starts, secret reads and changes):
  // the X-Switchyard-Actor header (the CLI sends $SWITCHYARD_ACTOR, else $USER@host), else the
  // client's address. Informational, not authentication: the bearer token is that.
  std::string actor;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON unless content_type says otherwise (/metrics, the dashboard)
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers{};  // extra headers (the dashboard's files)
};

ApiResponse json_response(int status, const boost::json::value& body);
ApiResponse error_response(int status, const std::string& message);

// Blocking calls (proxy admin API) run on this pool; the awaiting coroutine resumes on its own
// executor (the control thread) with the result: `auto x = co_await pool.run([...] { ... });`.
// (Hand-written initiation rather than a coroutine taking the work: GCC 12 mishandles class-type
// parameters of coroutines.)
class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}
  ~BlockingPool() { pool_.join(); }
  template <typename F>
  auto run(F work) {
    using R = std::invoke_result_t<F>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>, void(R)>(
        [this](auto handler, F job) {
          auto resume_on = boost::asio::get_associated_executor(handler);
          boost::asio::post(pool_, [job = std::move(job), handler = std::move(handler), resume_on]() mutable {
            R result = job();
            boost::asio::post(resume_on, [handler = std::move(handler), result = std::move(result)]() mutable {
              std::move(handler)(std::move(result));
            });
          });
        },
        boost::asio::use_awaitable, std::move(work));
  }

 private:
  boost::asio::thread_pool pool_;
};

// The secret store and what a rotation triggers (main.cpp sets both; docs/secrets.md).
struct SecretsContext {
  secrets::SecretStore* store = nullptr;  // null: every secret call answers 503
  // Called after a rotation created `version` of `name`: rolls the instances that use it.
  std::function<void(const std::string& name, std::int64_t version)> on_rotated;
};

struct ApiContext {
  engine::RolloutEngine& engine;
  BlockingPool& pool;
  const engine::Notifier* notifier = nullptr;  // webhooks' delivery counts; null = none configured
  SecretsContext secrets = {};
  const dashboard::StatsSampler* sampler = nullptr;  // GET /v1/series; null = 503
};

boost::asio::awaitable<ApiResponse> handle(ApiContext& context, const ApiRequest& request);
// /v1/secrets... (secrets_handlers.cpp); empty for any other path.
std::optional<ApiResponse> handle_secrets(ApiContext& context, const ApiRequest& request);
// POST /v1/secrets/{name}/rotate: the new version, then a config-only rollout of every app that
// uses it where it runs (secret_rotation.cpp); the answer lists them under "rollouts".
boost::asio::awaitable<ApiResponse> rotate_secret(ApiContext& context, const ApiRequest& request,
                                                  const std::string& name);

// hooks_notifications_json.cpp: a rollout's hook runs, and GET /v1/notifications.
boost::json::array hook_runs_json(store::StateStore& store, std::int64_t rollout_id);
ApiResponse list_notifications(const ApiContext& context);

// ROLLOUT (docs/controller-api.md) from its row and, while active, the engine's snapshot.
boost::json::object rollout_json(const store::RolloutRow& row, engine::RolloutEngine& engine);

}  // namespace switchyard::controller::api
