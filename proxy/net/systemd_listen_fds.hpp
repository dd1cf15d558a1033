#pragma once
// systemd socket activation (the sd_listen_fds protocol, parsed here without libsystemd):
// when LISTEN_PID is this process and LISTEN_FDS=n, descriptors 3..3+n-1 are listening sockets
// passed by the service manager. Called once from main() before the workers start.

#include <string>
#include <vector>

#include "proxy/net/inherited_socket.hpp"

namespace switchyard::proxy::net {

// The sockets passed by systemd (empty when none were). Unsets LISTEN_PID, LISTEN_FDS and
// LISTEN_FDNAMES so that children do not take them too. Returns false with `error` set when the
// variables are malformed or a descriptor is not a listening TCP socket.
bool take_systemd_listen_fds(std::vector<InheritedSocket>& out, std::string& error);

}  // namespace switchyard::proxy::net
