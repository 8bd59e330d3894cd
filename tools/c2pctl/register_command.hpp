#pragma once
// `c2pctl register-consumer` and `c2pctl register-card`: an issuer backend's two
// registration calls (spec/api.md §4.1, §4.4) from the command line, against the sandbox
// by default. Each gets an access token as `c2pctl token` does and, for a card, builds
// encryptedData as `c2pctl encrypt-card` does, then prints c2p's answer: a line with the
// ids and states (never the card's data), or the body as received with --json. Exit codes
// as cli.hpp (a refusal is 3, with c2p's errorCode and what to do on stderr).
//
//   c2pctl register-consumer --consumer-id cons_1 [--info FILE] [--state ACTIVE|INACTIVE]
//   c2pctl register-card --card-id crd_1 --consumer-id cons_1 --pan P --exp MMYY
//                        [--name N] [--product ID] [--state ACTIVE|INACTIVE]
// Both take --sandbox, --issuer, --key, --url (as `token`), --json and --idempotency-key;
// register-card also --encryption-key (c2p's public JWE key; default sandbox.json's).

#include <ostream>
#include <string>

#include "tools/c2pctl/card_command.hpp"
#include "tools/c2pctl/issuer_api.hpp"

namespace CLI {
class App;
}

namespace c2p::ctl {

struct RegisterConsumerOptions {
  ApiOptions api;
  std::string consumer_id;
  std::string info_file;  // JSON personalInformation (consumerInfo + billingAddress)
  std::string state;
  std::string idempotency_key;
};

struct RegisterCardOptions {
  ApiOptions api;
  EncryptCardOptions card;  // pan, exp, name, key; its sandbox follows api.token.sandbox
  std::string card_id;
  std::string consumer_id;
  std::string product;  // empty: the sandbox's VISA_CLASSIC for a 4…, else MC_STANDARD
  std::string state;
  std::string idempotency_key;
};

int RunRegisterConsumer(const RegisterConsumerOptions& options, std::ostream& out,
                        std::ostream& err);
int RunRegisterCard(const RegisterCardOptions& options, std::ostream& out, std::ostream& err);

void AddRegisterCommands(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err);

}  // namespace c2p::ctl
