#pragma once
// How the demo backend receives secrets from the controller's process driver: when
// $SWITCHYARD_SECRETS_FD names a descriptor, it holds one JSON object {"NAME": "value", ...}
// (docs/secrets.md). The demo keeps only each value's SHA-256 and length, so tests can prove
// delivery without the value ever leaving the process. Main thread, at start.

#include <string>

namespace switchyard::demo {

// Reads and closes the descriptor; `summary` becomes {"NAME": {"sha256": hex, "length": n}}.
// Leaves `summary` alone when the variable is unset; returns an error message, empty on success.
std::string read_handed_secrets(std::string& summary);

}  // namespace switchyard::demo
