#include "engine/consumer_data.hpp"

#include <gtest/gtest.h>

namespace c2p::engine {
namespace {

domain::ConsumerInfo Info(std::string first) {
  domain::ConsumerInfo i;
  i.language = "en-US";
  i.first_name = std::move(first);
  i.last_name = "Doe";
  i.email = "jane@example.com";
  i.mobile_phone_number = domain::MobilePhone{"33", "612345678"};
  return i;
}

domain::BillingAddress Address(std::string city) {
  domain::BillingAddress a;
  a.address_line1 = "1 rue X";
  a.city = std::move(city);
  a.postal_code = "75001";
  a.country_code = "FR";
  return a;
}

TEST(ConsumerData, BodyWinsOverStoredObjectByObject) {
  const ConsumerData body{Info("Body"), std::nullopt};
  const ConsumerData stored{Info("Stored"), Address("Stored")};
  const ConsumerData known = FirstKnown(body, stored);
  EXPECT_EQ(known.info->first_name, "Body");
  EXPECT_EQ(known.billing->city, "Stored");
  EXPECT_FALSE(NeedsFetch(known));
  EXPECT_TRUE(MissingFields(known).empty());
}

TEST(ConsumerData, FetchOnlyFillsWhatIsMissing) {
  const ConsumerData known{Info("Body"), std::nullopt};
  EXPECT_TRUE(NeedsFetch(known));
  const ConsumerData done = Complete(known, ConsumerData{Info("Fetched"), Address("Fetched")});
  EXPECT_EQ(done.info->first_name, "Body");
  EXPECT_EQ(done.billing->city, "Fetched");
}

TEST(ConsumerData, MissingFieldsAreNamedNeverValued) {
  EXPECT_EQ(MissingFields(ConsumerData{}),
            (std::vector<std::string>{"consumerInfo", "billingAddress"}));
  domain::ConsumerInfo partial = Info("Jane");
  partial.email.reset();
  partial.mobile_phone_number.reset();
  EXPECT_EQ(MissingFields(ConsumerData{partial, std::nullopt}),
            (std::vector<std::string>{"email", "mobilePhoneNumber", "billingAddress"}));
}

}  // namespace
}  // namespace c2p::engine
