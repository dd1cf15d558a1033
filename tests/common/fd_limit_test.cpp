// reserve_descriptor_table: the kernel's descriptor table grows up front, capped at the soft
// limit, and no descriptor stays open. Each case runs in a forked child, whose table starts
// as the test process's and whose limits it may lower without touching the test process.
#include "common/fd_limit.hpp"
#include "tests/support/rss.hpp"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace switchyard {
namespace {

// The slots of this process's descriptor table ("FDSize" in /proc/self/status).
std::uint64_t table_size() { return static_cast<std::uint64_t>(test::proc_status_number(::getpid(), "FDSize").value_or(0)); }

int open_descriptors() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return -1;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++count;
  ::closedir(dir);
  return count - 1;  // the directory's own descriptor
}

// Runs `check` in a child; its exit code is the number of the first failed expectation (0: all held).
template <class Check>
int in_child(Check check) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(check());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

TEST(ReserveDescriptorTable, GrowsTheTableWithoutKeepingADescriptor) {
  const int failed = in_child([] {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 4096) {
      limit.rlim_cur = std::min<rlim_t>(4096, limit.rlim_max);
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    const std::uint64_t want = std::min<std::uint64_t>(4096, limit.rlim_cur);
    if (table_size() >= want) return 1;  // the case would show nothing
    const int open_before = open_descriptors();
    const std::uint64_t reserved = reserve_descriptor_table(4096);
    if (reserved != want) return 2;
    if (table_size() < want) return 3;
    if (open_descriptors() != open_before) return 4;
    return 0;
  });
  EXPECT_EQ(failed, 0) << "failed check number " << failed;
}

TEST(ReserveDescriptorTable, StopsAtTheSoftLimit) {
  const int failed = in_child([] {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = 300;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return 1;
    if (reserve_descriptor_table(65536) != 300) return 2;
    if (table_size() < 300) return 3;
    if (table_size() >= 4096) return 4;  // grown only as far as the limit allows (rounded up)
    return 0;
  });
  EXPECT_EQ(failed, 0) << "failed check number " << failed;
}

TEST(RaiseFdLimit, SoftLimitReachesTheHardLimit) {
  const int failed = in_child([] {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_max < 512) return 0;  // nothing to raise on this machine
    limit.rlim_cur = 256;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return 1;
    const FdLimit raised = raise_fd_limit();
    if (raised.before != 256 || raised.after != limit.rlim_max) return 2;
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur != limit.rlim_max) return 3;
    return 0;
  });
  EXPECT_EQ(failed, 0) << "failed check number " << failed;
}

}  // namespace
}  // namespace switchyard
