#pragma once
// Test-only: a sandbox directory holding just sandbox.json (shared/spec/sandbox.md §1),
// with keys made for the test, and reading a file back.

#include <fstream>
#include <sstream>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "jose/jwk.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::ctl::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct FakeSandbox {
  c2p::testing::ScratchDir dir;
  jose::EcKey signing = jose::EcKey::Generate();
  jose::EcKey other_signing = jose::EcKey::Generate();
  jose::EcKey encryption = jose::EcKey::Generate();  // c2p's, private here to decrypt

  FakeSandbox() {
    signing.set_kid(signing.Thumbprint());
    encryption.set_kid(encryption.Thumbprint());
    boost::json::object root{
        {"baseUrl", "http://127.0.0.1:1"},
        {"issuerId", "SANDBOX001"},
        {"issuerSigningKey", signing.ToPrivateJwk()},
        {"encryptionKey", encryption.ToPublicJwk()},
        {"cardProducts", {{"VISA", "VISA_CLASSIC"}, {"MASTERCARD", "MC_STANDARD"}}},
        {"otherIssuers", boost::json::array{{{"issuerId", "SANDBOX002"},
                                             {"issuerSigningKey", other_signing.ToPrivateJwk()}}}}};
    WriteText(dir / "sandbox.json", boost::json::serialize(root));
  }
};

}  // namespace c2p::ctl::testing
