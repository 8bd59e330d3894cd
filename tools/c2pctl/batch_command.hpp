#pragma once
// `c2pctl batch make|submit|status`: batch registration files (spec/batch.md) from the
// issuer's side, against the sandbox by default.
//
//   c2pctl batch make [--sandbox DIR] [--issuer ID] --records N [--out FILE|DIR]
//                     [--batch-id ID] [--seq S] [--cards 1|2|mixed] [--with-errors]
//                     [--no-personal-information] [--operation OP] [--threads T]
//       writes a signed file of N records (batch_file_maker.hpp) and prints its path.
//   c2pctl batch submit FILE [--spool DIR] [--no-wait] [--timeout SECONDS]
//                     [--sandbox DIR] [--key FILE] [--url URL]
//       delivers the file into DIR/inbox (as .part, renamed) or POSTs it, then polls the
//       progress every 500 ms, drawing a progress line on stderr, until DONE (exit 0) or
//       REJECTED (exit 1); a summary line (--json: the final progress JSON) goes to stdout.
//   c2pctl batch status BATCH_ID SEQ [--result] [--sandbox DIR] [--issuer ID] [--key FILE]
//                     [--url URL]
//       prints the progress (a line; --json the JSON), or the _OUT document with --result.
// Exit codes as cli.hpp: 0; 1 (failed, REJECTED, timed out); 2 (usage); 3 (a 4xx: the
// file or the request refused).

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "tools/c2pctl/batch_file_maker.hpp"
#include "tools/c2pctl/token_command.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct BatchMakeOptions {
  std::string sandbox = "var/sandbox";
  std::string issuer;  // empty: sandbox.json's issuerId
  std::uint64_t records = 0;
  std::string out;       // a file, or an existing directory; empty: the current directory
  std::string batch_id;  // empty: B<unixSeconds>
  std::string seq = "1";
  std::string cards = "mixed";
  bool with_errors = false;
  bool no_personal_information = false;
  std::string operation{kOperationRegistration};
  unsigned threads = 0;
};

struct BatchSubmitOptions {
  TokenOptions token;  // issuer: taken from the file's header
  std::string file;
  std::string spool;  // empty: HTTPS upload
  bool no_wait = false;
  bool json = false;
  double timeout_s = 3600;
  std::chrono::milliseconds poll_interval{500};
};

struct BatchStatusOptions {
  TokenOptions token;
  std::string batch_id;
  std::string seq;
  bool result = false;
  bool json = false;
};

int RunBatchMake(const BatchMakeOptions& options, std::ostream& out, std::ostream& err);
int RunBatchSubmit(const BatchSubmitOptions& options, std::ostream& out, std::ostream& err);
int RunBatchStatus(const BatchStatusOptions& options, std::ostream& out, std::ostream& err);

void AddBatchCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
