#include "tools/c2pctl/http_call.hpp"

#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace c2p::ctl {

http::ClientResult CallOnce(http::ClientRequest request) {
  return CallOnce(std::move(request), http::ClientOptions{});
}

http::ClientResult CallOnce(http::ClientRequest request, http::ClientOptions options) {
  boost::asio::io_context io;
  std::optional<http::ClientResult> result;
  {
    http::Client client(io.get_executor(), std::move(options));
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          result = co_await client.Send(std::move(request));
        },
        boost::asio::detached);
    io.run();
  }
  if (!result) {
    return tl::unexpected(http::TransportError{http::TransportErrorKind::kOther, "no response"});
  }
  return std::move(*result);
}

}  // namespace c2p::ctl
