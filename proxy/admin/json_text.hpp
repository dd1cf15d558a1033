#pragma once
// JSON text for admin answers: Boost.JSON's serializer, except that doubles are written in the
// shortest round-trip decimal form (0.05, 2.68) instead of its exponent form (5E-2), which
// scripts and people read more easily. Non-finite numbers become null. Pure; any thread.

#include <boost/json/value.hpp>
#include <string>

namespace switchyard::proxy::admin {

std::string to_json_text(const boost::json::value& value);

}  // namespace switchyard::proxy::admin
