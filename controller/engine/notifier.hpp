#pragma once
// Notifier: the controller's webhooks (top-level `notifications:`, docs/notifications.md). It is
// registered as a RolloutEngine event listener: on the control thread it only formats the event
// and enqueues it to each subscribed webhook's WebhookSender (own thread, bounded queue), so a
// slow, hanging or refusing receiver never delays a rollout.
//
// Thread: notify() on the control thread; stats() from any thread; destroyed after the control
// thread stopped (joins the senders, each bounded by one request's timeout).

#include <memory>
#include <vector>

#include "config/controller_config.hpp"
#include "controller/engine/webhook_sender.hpp"
#include "controller/store/rows.hpp"

namespace switchyard::controller::engine {

class Notifier {
 public:
  explicit Notifier(const config::NotificationsConfig& config);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void notify(const store::EventRow& event);
  std::vector<WebhookStats> stats() const;
  void stop();

 private:
  std::vector<std::unique_ptr<WebhookSender>> senders_;
};

}  // namespace switchyard::controller::engine
