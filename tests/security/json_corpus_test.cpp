// JSONTestSuite through a real c2pd endpoint (issue 11, docs/json.md). The unit level
// (src/core/strict_json_test.cpp) runs every file through the parser; the bare server
// (src/http/server_test.cpp) sends the n_ files to a JSON route. This sends every y_, n_
// and i_ file as the body of a real bearer route of c2pd and checks the documented
// decision: rejected files are 400 INVALID_JSON, accepted ones get past the JSON layer
// (whatever the route then says of their shape), a body over 64 KiB is 413, never a 500.

#include <filesystem>
#include <set>

#include "tests/e2e/registry_fixture.hpp"

namespace c2p::testing {
namespace {

using JsonCorpus = RegistryE2e;

// docs/json.md: the i_ files c2p accepts; every other i_ file is rejected, and so are the
// two y_ files with duplicated keys.
const std::set<std::string> kAcceptedImplementationDefined = {
    "i_number_double_huge_neg_exp.json", "i_number_real_underflow.json",
    "i_number_too_big_neg_int.json", "i_number_too_big_pos_int.json",
    "i_number_very_big_negative_int.json"};

bool Accepted(const std::string& name) {
  if (name.starts_with("y_")) return !name.starts_with("y_object_duplicated_key");
  if (name.starts_with("i_")) return kAcceptedImplementationDefined.contains(name);
  return false;
}

TEST_F(JsonCorpus, EveryFileGetsItsDocumentedDecisionFromARealEndpoint) {
  const char* shared = std::getenv("C2P_SHARED_DIR");
  const std::filesystem::path corpus =
      std::filesystem::path(shared ? shared : "../shared") / "testdata/JSONTestSuite/test_parsing";
  ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
  // A consumer update of an unknown consumer: the JSON layer judges the body first; past
  // it, the route refuses the shape or the consumer, so nothing is ever created.
  const std::string path =
      "/banking/v1/issuers/ISSUER0001/consumers/json_corpus/operations:clickToPayUpdate";
  const std::string headers =
      "Authorization: Bearer " + Token(kIssuerA) + "\r\nContent-Type: application/json\r\n";
  std::map<char, int> seen;
  for (const auto& e : std::filesystem::directory_iterator(corpus)) {
    const std::string name = e.path().filename().string();
    const std::string body = ReadFile(e.path().string());
    RawClient c;
    ASSERT_TRUE(c.Connect(port_));
    ASSERT_TRUE(c.Send(BuildRequest("POST", path, body, headers, false)));
    auto r = c.Read(10s);
    ASSERT_TRUE(r) << name;
    ++seen[name[0]];
    EXPECT_LT(r->status, 500) << name;
    if (body.size() > 64 * 1024) {
      EXPECT_EQ(r->status, 413) << name;
      continue;
    }
    if (Accepted(name)) {
      EXPECT_NE(ErrorCodeOf(*r), "INVALID_JSON") << name << ": " << r->body;
    } else {
      EXPECT_EQ(r->status, 400) << name;
      EXPECT_EQ(ErrorCodeOf(*r), "INVALID_JSON") << name << ": " << r->body;
    }
  }
  EXPECT_EQ(seen['y'], 95);
  EXPECT_EQ(seen['n'], 188);
  EXPECT_EQ(seen['i'], 35);
}

}  // namespace
}  // namespace c2p::testing
