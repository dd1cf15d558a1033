#pragma once
// The state file's schema as numbered migrations. apply_migrations() brings any older file up to
// date in one transaction at open; it is idempotent (a current file is left untouched).
// Control thread only (it runs on the StateStore's connection).

#include <string>

#include "controller/store/sqlite.hpp"

namespace switchyard::controller::store {

// The schema version this build writes.
int current_schema_version();

// "" on success; refuses a file written by a newer controller rather than guess its meaning.
std::string apply_migrations(Database& db);

}  // namespace switchyard::controller::store
