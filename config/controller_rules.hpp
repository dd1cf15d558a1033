#pragma once
// The semantic rules of the controller configuration (SPEC §6): names, references between
// environments and apps, `requires` cycles, strategy consistency. Written once, applied by the
// loader after decoding and usable on an in-memory ControllerConfig. Pure functions, any thread.

#include <optional>

#include "config/config_rules.hpp"
#include "config/controller_config.hpp"

namespace switchyard::config::rules {

inline constexpr Range kInstances{1, 1000};
inline constexpr Range kStepPercent{1, 100};
inline constexpr Range kHookTimeoutS{1, 86'400};

// Driver kinds the controller knows of; only "process" is implemented.
inline constexpr std::string_view kDriverProcess = "process";

// Every semantic rule over a whole controller configuration; the first problem found, or nothing.
std::optional<FieldError> check_controller_config(const ControllerConfig& config);

}  // namespace switchyard::config::rules
