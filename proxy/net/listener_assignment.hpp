#pragma once
// Putting inherited listening sockets (hand-over, socket activation) to work. Each received
// socket has its own accept queue (SO_REUSEPORT group member), so every one of them must be
// accepted on by some worker, whatever the worker count of the process that made them: socket j
// goes to worker j % W (a worker may own several acceptors), and a worker left without one gets
// a dup() of a received socket, so that all workers accept. Used by DataPlane::bind() on the
// control thread before the workers start.

#include <memory>
#include <string>
#include <vector>

#include "config/proxy_config.hpp"
#include "proxy/net/inherited_socket.hpp"

namespace switchyard::proxy::net {

class Worker;
class ListenerGate;

// Removes from `inherited` and returns the sockets bound to `address` (a port-0 listener matches
// none: it asks for a fresh port).
std::vector<InheritedSocket> take_matching(std::vector<InheritedSocket>& inherited,
                                           const config::HostPort& address);

// Hands `sockets` (not empty), all of listener number `listener`, to the workers as described
// above; appends every descriptor now
// accepted on to `fds`. False with `error` set on failure (the rest of `sockets` is closed).
bool assign_inherited(std::vector<InheritedSocket> sockets, std::size_t listener, ListenerGate* gate,
                      std::vector<std::unique_ptr<Worker>>& workers,
                      std::vector<int>& fds, std::string& error);

}  // namespace switchyard::proxy::net
