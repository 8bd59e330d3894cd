#pragma once
// `c2pctl op get|list|watch`: an issuer's operations (spec/api.md §5.8).
//
//   c2pctl op get OPERATION_ID [--card-id ID | --consumer-id ID]
//   c2pctl op list (--card-id ID | --consumer-id ID) [--offset N] [--limit N]
//   c2pctl op watch OPERATION_ID [--card-id ID | --consumer-id ID] [--timeout SECONDS]
//
// Without --card-id or --consumer-id, get and watch use the issuer-wide getter. watch
// follows the operation until it is terminal (operation_watch.hpp). All take the API
// options (--sandbox, --issuer, --key, --url, --json).

#include <ostream>

namespace CLI {
class App;
}

namespace c2p::ctl {

void AddOpCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
