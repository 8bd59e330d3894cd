#include "api/tsp_bodies.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace c2p::api {
namespace {

namespace json = boost::json;

core::Result<TokenRequestBody> Request(std::string_view text) {
  return ReadTokenRequestBody(json::parse(text));
}
core::Result<TokenEventBody> Event(std::string_view text) {
  return ReadTokenEventBody(json::parse(text));
}

TEST(TspBodies, TokenRequestIsRead) {
  auto r =
      Request(R"({"requestId":"tr_1","tokenRequestorId":"40010030273","tokenType":"CLICK_TO_PAY",)"
              R"("encryptedCard":"a.b.c.d.e"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->request_id, "tr_1");
  EXPECT_EQ(r->token_requestor_id, "40010030273");
  EXPECT_EQ(r->encrypted_card, "a.b.c.d.e");
}

TEST(TspBodies, TokenRequestRefusalsNameTheField) {
  const std::string ok_rest =
      R"("tokenRequestorId":"1","tokenType":"CLICK_TO_PAY","encryptedCard":"x")";
  struct Case {
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {"[]", ""},
      {"{" + ok_rest + "}", "/requestId"},
      {R"({"requestId":"a b",)" + ok_rest + "}", "/requestId"},
      {R"({"requestId":")" + std::string(129, 'a') + "\"," + ok_rest + "}", "/requestId"},
      {R"({"requestId":1,)" + ok_rest + "}", "/requestId"},
      {R"({"requestId":"r","tokenRequestorId":"1","tokenType":"WALLET","encryptedCard":"x"})",
       "/tokenType"},
      {R"({"requestId":"r","tokenRequestorId":"1","tokenType":"CLICK_TO_PAY","encryptedCard":7})",
       "/encryptedCard"},
      {R"({"requestId":"r","pan":"4111111111111111",)" + ok_rest + "}", "/pan"},
  };
  for (const auto& c : cases) {
    auto r = Request(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, core::ErrorCode::kFieldInvalidFormat) << c.body;
    EXPECT_EQ(r.error().field, c.field) << c.body;
    EXPECT_EQ(r.error().message.find("4111"), std::string::npos);
  }
}

TEST(TspBodies, TokenEventIsReadWithItsEvent) {
  for (const auto& [name, event] :
       {std::pair{"ACTIVATED", TokenEvent::kActivated},
        std::pair{"SUSPENDED", TokenEvent::kSuspended}, std::pair{"RESUMED", TokenEvent::kResumed},
        std::pair{"DELETED", TokenEvent::kDeleted}}) {
    auto e = Event(std::string(R"({"eventId":"ev_1","digitalCardId":"vdc_1",)") +
                   R"("tokenRequestorId":"4001","encryptedCard":"x","event":")" + name + "\"}");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->event, event);
    EXPECT_EQ(WireName(e->event), name);
    EXPECT_EQ(e->digital_card_id, "vdc_1");
  }
}

TEST(TspBodies, TokenEventNeedsAKnownEvent) {
  const std::string rest =
      R"("eventId":"ev_1","digitalCardId":"vdc_1","tokenRequestorId":"4001","encryptedCard":"x")";
  auto missing = Event("{" + rest + "}");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "/event");
  auto unknown = Event("{" + rest + R"(,"event":"EXPLODED"})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "/event");
  EXPECT_EQ(unknown.error().message, "event must be ACTIVATED, SUSPENDED, RESUMED or DELETED");
  // The first failure in wire order wins.
  auto both = Event(R"({"eventId":"","digitalCardId":"vdc_1","tokenRequestorId":"4001",)"
                    R"("encryptedCard":"x"})");
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().field, "/eventId");
}

}  // namespace
}  // namespace c2p::api
