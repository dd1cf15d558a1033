#include "common/fd_limit.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace switchyard {

FdLimit raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  FdLimit result{limit.rlim_cur, limit.rlim_cur};
  if (limit.rlim_cur >= limit.rlim_max) return result;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) result.after = limit.rlim_cur;
  return result;
}

std::uint64_t reserve_descriptor_table(std::uint64_t count) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const std::uint64_t room = std::min<std::uint64_t>(count, limit.rlim_cur);
  if (room == 0 || room > static_cast<std::uint64_t>(INT32_MAX)) return 0;
  // Duplicating a descriptor onto the highest number grows the table to hold it; closing the
  // duplicate leaves the table as large.
  const int base = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (base < 0) return 0;
  const int high = ::fcntl(base, F_DUPFD_CLOEXEC, static_cast<int>(room - 1));
  ::close(base);
  if (high < 0) return 0;
  ::close(high);
  return room;
}

}  // namespace switchyard
