#pragma once
// `switchyard analytics` as text: a header line with the window, one row per app and environment
// plus TOTAL (APP ENV DEPLOYS OK FAILED ABORTED RUNNING SUCCESS CFR MEAN P90 ROLLBACKS MTTR GUARD
// DRIFT), then drift per environment. From GET /v1/analytics's JSON. Pure; any thread.

#include <string>

#include <boost/json/value.hpp>

namespace switchyard::controller::cli {

std::string render_analytics(const boost::json::value& answer);

}  // namespace switchyard::controller::cli
