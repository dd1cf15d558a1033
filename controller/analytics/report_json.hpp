#pragma once
// The JSON of GET /v1/analytics (docs/controller-api.md, docs/analytics.md). Pure; any thread.

#include <boost/json/object.hpp>

#include "controller/analytics/figures.hpp"

namespace switchyard::controller::analytics {

boost::json::object figures_json(const Figures& figures);
boost::json::object report_json(const Report& report);

}  // namespace switchyard::controller::analytics
