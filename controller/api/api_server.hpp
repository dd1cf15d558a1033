#pragma once
// ApiServer: the controller's JSON API (docs/controller-api.md) over HTTP/1.1 with keep-alive,
// one coroutine per connection on the control thread's io_context. With controller.token_file,
// every /v1 path needs "Authorization: Bearer <token>"; /healthz stays open. Calls that must ask
// the proxies (env reachability, live figures, weights, a rollout's baseline) do that blocking
// work on a small thread pool owned here and resume on the control thread, so the API never
// freezes the engine.
//
// Control-thread only: start() before or while the io_context runs; stop() on the control thread.

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "controller/api/api_handlers.hpp"
#include "controller/engine/rollout_engine.hpp"

namespace switchyard::controller::engine {
class Notifier;
}

namespace switchyard::controller::api {

class ApiServer {
 public:
  ApiServer(boost::asio::io_context& control, engine::RolloutEngine& engine);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Reads the token file (if any) and binds controller.listen; returns the bound "host:port".
  // Throws std::runtime_error naming the address or file: start-up only.
  std::string start();
  // The secret store behind /v1/secrets (before start()).
  void set_secrets(SecretsContext secrets);
  void stop();
  // GET /v1/notifications reports this notifier's webhooks (it must outlive the server).
  void set_notifier(const engine::Notifier* notifier);
  // GET /v1/series answers from this sampler (it must outlive the server).
  void set_sampler(const dashboard::StatsSampler* sampler);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace switchyard::controller::api
