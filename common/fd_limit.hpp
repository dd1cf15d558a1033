#pragma once
// Descriptor limits at start-up, called once from the main thread before any other thread starts.
// raise_fd_limit: the soft limit on open files (RLIMIT_NOFILE) up to the hard limit: every
// client and upstream connection is a descriptor, and the usual soft default (1024) is far below
// what a proxy under many slow clients needs.
// reserve_descriptor_table: the kernel's descriptor table sized up front. The kernel grows it by
// doubling when a new descriptor passes its size, and in a process with more than one thread each
// growth waits for an RCU grace period (synchronize_rcu in expand_files) with the calling thread
// blocked: 10-20 ms on the VM the performance runs use, a stall of every request on that worker,
// at 128, 256, 512, ... open descriptors, that is, while traffic ramps up. Grown while the
// process still has one thread it waits for nothing, and the table never shrinks.

#include <cstdint>

namespace switchyard {

struct FdLimit {
  std::uint64_t before = 0;  // soft limit found
  std::uint64_t after = 0;   // soft limit now (== before when it could not or need not change)
};

FdLimit raise_fd_limit();

// Makes room for descriptors 0 .. min(count, soft limit) - 1 without opening any; returns how
// many it made room for (0 when it could not).
std::uint64_t reserve_descriptor_table(std::uint64_t count);

}  // namespace switchyard
