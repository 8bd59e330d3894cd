#pragma once
// Reads a consumer's Click to Pay profiles from several directories at once, for the
// profiles getter (spec/api.md §5.7): one GetProfile per network, in parallel, each bounded
// by the same timeout. The connectors and their HTTP client live on the engine's executor,
// so the reads run there; a caller on any other executor awaits Read() and resumes on its
// own.
//
// A read still running when the timeout passes is reported as a kTimeout failure and left
// to end on its own (the HTTP client's own timeout bounds it); its answer is dropped.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "networks/network_connector.hpp"

namespace c2p::engine {

struct ProfileRead {
  std::string network;  // as asked: "VISA", "MASTERCARD"
  networks::Result<networks::Profile> result;
};

class ProfileReader {
 public:
  using Connectors = std::map<std::string, networks::NetworkConnector*, std::less<>>;
  // `connectors` by network name ("VISA", "MASTERCARD"); not owned, used on `executor`.
  ProfileReader(boost::asio::any_io_executor executor, Connectors connectors,
                std::chrono::milliseconds timeout);

  // One result per network of `networks`, in that order. A network without a connector
  // is a kRejected failure. Every directory call carries `correlation_id` (the request's).
  // May be awaited from any executor.
  boost::asio::awaitable<std::vector<ProfileRead>> Read(std::vector<std::string> networks,
                                                        std::string external_consumer_id,
                                                        std::string correlation_id);

  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  boost::asio::awaitable<std::vector<ProfileRead>> ReadHere(std::vector<std::string> networks,
                                                            std::string external_consumer_id,
                                                            std::string correlation_id);

  boost::asio::any_io_executor executor_;
  Connectors connectors_;
  std::chrono::milliseconds timeout_;
};

}  // namespace c2p::engine
