#include "controller/drivers/instance_driver.hpp"

#include <algorithm>

namespace switchyard::controller::drivers {

bool HealthReport::all_healthy() const { return healthy_count() == instances.size(); }

std::size_t HealthReport::healthy_count() const {
  return static_cast<std::size_t>(std::count_if(
      instances.begin(), instances.end(), [](const InstanceHealth& one) { return one.healthy; }));
}

std::string HealthReport::error() const {
  std::string out;
  for (const auto& one : instances) {
    if (one.healthy) continue;
    if (!out.empty()) out += "\n";
    out += one.error;
  }
  return out;
}

}  // namespace switchyard::controller::drivers
