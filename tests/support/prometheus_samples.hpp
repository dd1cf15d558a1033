#pragma once
// Parses Prometheus text exposition with the reference parser (prometheus_client, Debian package
// python3-prometheus-client) into {"name{k=v,...}": value}, labels sorted by name. A malformed
// text fails the calling test. Test thread.

#include <string>

#include <boost/json/object.hpp>

namespace switchyard::test {

boost::json::object prometheus_samples(const std::string& text);
// The value of `key`; fails the test (and returns -1) when the sample is missing.
double prometheus_sample(const boost::json::object& samples, const std::string& key);

}  // namespace switchyard::test
