#pragma once
// Reading a proxy's ROUTE answer (SPEC §4: {"name","split":[{"version","upstream","weight"}]}).
// Pure functions: any thread.

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "config/proxy_config.hpp"

namespace switchyard::controller::engine {

// The route's split; empty when the body has none or is malformed.
std::vector<config::SplitEntry> split_of(const boost::json::value& route);
bool split_has(const std::vector<config::SplitEntry>& split, const std::string& version);
// The version at the highest weight, ignoring `except` (first one on ties); "" when none.
std::string heaviest_version(const std::vector<config::SplitEntry>& split, const std::string& except);

}  // namespace switchyard::controller::engine
