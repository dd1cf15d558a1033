#pragma once
// Small, bounded looks at processes and instances from the outside: /proc facts used to tell
// our instances from recycled PIDs, and a one-shot HTTP health probe on 127.0.0.1.
// Free functions without state; any thread. Linux only (/proc).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::controller::drivers {

// /proc/PID/stat field 22 (start time in clock ticks since boot); 0 when the process is gone.
std::uint64_t process_start_time(pid_t pid);
// /proc/PID/cmdline split at NULs; empty when the process is gone.
std::vector<std::string> process_cmdline(pid_t pid);
// The process exists and is not a zombie.
bool process_running(pid_t pid);
// Some member of process group `pgid` exists and is not a zombie. Zombies do not count: orphans
// wait for init to reap them, and some inits (containers, VMs) take seconds to do so.
bool group_running(pid_t pgid);

struct ProbeResult {
  bool healthy = false;  // a complete status line with 200 arrived
  int status = 0;        // 0 = no HTTP answer
  std::string error;     // why not healthy
};

// GET `path` on 127.0.0.1:port with `Connection: close`; the whole exchange is bounded by
// `timeout` (connect, send and the status line). Blocking, on plain sockets.
ProbeResult probe_http(std::uint16_t port, const std::string& path,
                       std::chrono::milliseconds timeout);

}  // namespace switchyard::controller::drivers
