#pragma once
#include <sys/types.h>

#include <optional>
#include <string>

namespace switchyard::test {

// The number that a "Key:   1234 ..." line of /proc/PID/status starts with (VmRSS, FDSize, ...).
std::optional<long> proc_status_number(pid_t pid, const std::string& key);
// Peak resident set size (VmHWM) of a live process in KiB, from /proc/PID/status.
std::optional<long> peak_rss_kib(pid_t pid);
// Current resident set size (VmRSS) in KiB.
std::optional<long> current_rss_kib(pid_t pid);

}  // namespace switchyard::test
