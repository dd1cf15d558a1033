#pragma once
// The bytes an instance reads from $SWITCHYARD_SECRETS_FD: one JSON object {"NAME": "value", ...}
// (docs/secrets.md). Pure functions, any thread.

#include <map>
#include <string>

namespace switchyard::controller::drivers {

// "" when there are no secrets (then no pipe is created).
std::string secrets_payload(const std::map<std::string, std::string>& secrets);
// Overwrites the bytes (explicit_bzero) and empties the string.
void wipe_bytes(std::string& text);

}  // namespace switchyard::controller::drivers
