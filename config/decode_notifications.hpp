#pragma once
// Decoding of the hook and notification keys added by issue 6 (docs/hooks.md,
// docs/notifications.md): an http hook's method/expect_status/body/headers, and the top-level
// `notifications:` section. Values are checked while reading (key-path errors). Internal to sy_config.

#include <string_view>

#include "config/controller_config.hpp"
#include "config/yaml_reader.hpp"

namespace switchyard::config {

// The event kinds a webhook may subscribe to (docs/notifications.md).
bool is_notification_event(std::string_view kind);

// method, expect_status, body, headers of `node` into `hook`; refused on a `run:` hook.
void decode_hook_http(const YamlReader& node, HookConfig& hook);

NotificationsConfig decode_notifications(const YamlReader& node);

}  // namespace switchyard::config
