#pragma once
#include <sys/types.h>

#include <optional>

namespace switchyard::test {

// Peak resident set size (VmHWM) of a live process in KiB, from /proc/PID/status.
std::optional<long> peak_rss_kib(pid_t pid);
// Current resident set size (VmRSS) in KiB.
std::optional<long> current_rss_kib(pid_t pid);

}  // namespace switchyard::test
