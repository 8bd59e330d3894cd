#pragma once
// `c2pctl notifications list|dead|redeliver|resume --config FILE …`: the operator's view of
// notification delivery (shared/spec/outbound.md §3), on c2pd's own store while c2pd runs.
// c2pd's notifier looks at the store at least once a second, so a redelivery or a resume
// takes effect within that.
//
//   list      [--issuer ID] [--card CARD_ID] [--state PENDING|DELIVERED|DEAD] [--limit N]
//   dead      [--issuer ID] [--card CARD_ID] [--limit N]       (list --state DEAD)
//   redeliver --id MESSAGE_ID… | --issuer ID (every dead message of the issuer)
//   resume    --issuer ID      (after a 410 suspended it)
//
// One line per message: id, webhook-id, issuer, kind, state, operations, attempts, last
// error, path. Never a body: it names cards and operations, and the lines go to terminals
// and tickets.

#include <ostream>

namespace CLI {
class App;
}

namespace c2p::ctl {

void AddNotificationsCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
