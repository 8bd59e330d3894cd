#pragma once
// The issuer's Click to Pay calls (spec/api.md §5.2–§5.7) from the command line, each one
// request as the issuer (issuer_api.hpp), human output by default, --json for scripts:
//
//   c2pctl enrol --card-id ID [--name N] [--consumer-info FILE] [--billing-address FILE]
//   c2pctl update-card --card-id ID [--name N] [--billing-address FILE]
//   c2pctl update-consumer --consumer-id ID --consumer-info FILE [--billing-address FILE]
//   c2pctl opt-out (--card-id ID | --consumer-id ID)
//   c2pctl profiles --consumer-id ID
//
// The writes take [--reason TEXT] [--reason-code ISSUER_DECISION|USER_DECISION]
// [--idempotency-key K] and [--watch [--timeout SECONDS]] to follow the operation until
// it is terminal (operation_watch.hpp; exit 0 SUCCESSFUL, 1 FAILED). Consumer information
// and addresses come from files (JSON: consumerInfo, billingAddress), never from the
// command line, which other users of the machine can see.

#include <ostream>

namespace CLI {
class App;
}

namespace c2p::ctl {

void AddClickToPayCommands(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
