#pragma once
// Raising the soft limit on open files (RLIMIT_NOFILE) to the hard limit: every client and
// upstream connection is a descriptor, and the usual soft default (1024) is far below what a
// proxy under many slow clients needs. Call once at start-up, from the main thread.

#include <cstdint>

namespace switchyard {

struct FdLimit {
  std::uint64_t before = 0;  // soft limit found
  std::uint64_t after = 0;   // soft limit now (== before when it could not or need not change)
};

FdLimit raise_fd_limit();

}  // namespace switchyard
