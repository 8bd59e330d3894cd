#pragma once
// One blocking HTTP call for the command line: c2pctl's commands are one request each, so
// they run the shared asynchronous client (http/client.hpp) on a private io_context until
// the response arrives.

#include "http/client.hpp"

namespace c2p::ctl {

http::ClientResult CallOnce(http::ClientRequest request);
// The same with the client's options (a large response, a longer default timeout).
http::ClientResult CallOnce(http::ClientRequest request, http::ClientOptions options);

}  // namespace c2p::ctl
