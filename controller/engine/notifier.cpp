#include "controller/engine/notifier.hpp"

#include <algorithm>

#include "controller/engine/webhook_payload.hpp"

namespace switchyard::controller::engine {

Notifier::Notifier(const config::NotificationsConfig& config) {
  for (const auto& webhook : config.webhooks) senders_.push_back(std::make_unique<WebhookSender>(webhook));
}

Notifier::~Notifier() { stop(); }

void Notifier::notify(const store::EventRow& event) {
  for (auto& sender : senders_) {
    const auto& events = sender->config().events;
    if (!events.empty() && std::find(events.begin(), events.end(), event.kind) == events.end()) continue;
    sender->enqueue(webhook_payload(event, sender->config()));
  }
}

std::vector<WebhookStats> Notifier::stats() const {
  std::vector<WebhookStats> out;
  for (const auto& sender : senders_) out.push_back(sender->stats());
  return out;
}

void Notifier::stop() {
  for (auto& sender : senders_) sender->stop();
}

}  // namespace switchyard::controller::engine
