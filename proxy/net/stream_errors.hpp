#pragma once
// The one place that says which stream errors are a normal end of a conversation rather than a
// fault worth an answer or a log line (STYLE: never decided ad hoc).

#include <boost/system/error_code.hpp>

namespace switchyard::proxy::net {

// The peer closed or reset the connection (possibly mid-message).
bool is_peer_close(const boost::system::error_code& ec);

// A connection that ends this way gets no error answer: the peer left, our own timeout or
// shutdown ended it, or the socket was closed by a drain.
bool is_normal_end(const boost::system::error_code& ec);

}  // namespace switchyard::proxy::net
