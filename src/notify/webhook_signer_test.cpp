#include "notify/webhook_signer.hpp"

#include <gtest/gtest.h>

#include "notify/retry_schedule.hpp"

namespace c2p::notify {
namespace {

// The example of the Standard Webhooks specification (its secret, id, timestamp, body and
// signature), so c2p signs exactly as any receiver library verifies.
constexpr std::string_view kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::string_view kSpecTimestamp = "1614265330";
constexpr std::string_view kSpecBody = R"({"test": 2432232314})";
constexpr std::string_view kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSigner, MatchesTheStandardWebhooksExample) {
  auto signer = WebhookSigner::FromSecrets({kSpecSecret});
  ASSERT_TRUE(signer);
  EXPECT_EQ(signer->Sign(kSpecId, kSpecTimestamp, kSpecBody), kSpecSignature);
}

TEST(WebhookSigner, TwoSecretsDuringARotationGiveTwoSignatures) {
  auto signer = WebhookSigner::FromSecretText(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\r\n\n  "
      "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  ASSERT_TRUE(signer);
  const std::string both = signer->Sign(kSpecId, kSpecTimestamp, kSpecBody);
  ASSERT_EQ(both.rfind(std::string(kSpecSignature) + " v1,", 0), 0U) << both;
  EXPECT_EQ(both.size(), kSpecSignature.size() * 2 + 1);
}

TEST(WebhookSigner, RefusesWhatIsNotASecretWithoutEchoingIt) {
  for (std::string_view bad : {"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_abc",
                               "whsec_a!cd", "whsec_QUFB"}) {
    auto signer = WebhookSigner::FromSecretText(bad);
    ASSERT_FALSE(signer) << bad;
    if (bad.size() > std::string_view("whsec_").size()) {
      EXPECT_EQ(signer.error().message.find(bad), std::string::npos);
    }
  }
}

TEST(RetrySchedule, FollowsTheStepsWithJitterAndRetryAfterThenDies) {
  RetrySchedule s;
  s.jitter = 0.2;
  const std::int64_t t0 = 1'000'000;
  // First failure: about 5 s (4 s to 6 s).
  EXPECT_EQ(NextAttemptMs(s, 1, t0, t0, std::nullopt, 0.0), t0 + 4'000);
  EXPECT_EQ(NextAttemptMs(s, 1, t0, t0, std::nullopt, 0.5), t0 + 5'000);
  EXPECT_EQ(NextAttemptMs(s, 2, t0, t0, std::nullopt, 0.5), t0 + 30'000);
  // Past the list, every 8 h.
  EXPECT_EQ(NextAttemptMs(s, 40, t0, t0, std::nullopt, 0.5), t0 + 8 * 3'600'000);
  // A longer Retry-After wins; a shorter one does not shorten the step.
  EXPECT_EQ(NextAttemptMs(s, 1, t0, t0, std::chrono::seconds(60), 0.5), t0 + 60'000);
  EXPECT_EQ(NextAttemptMs(s, 2, t0, t0, std::chrono::seconds(1), 0.5), t0 + 30'000);
  // Past 72 h from creation: dead.
  const std::int64_t late = t0 + 70 * 3'600'000;
  EXPECT_FALSE(NextAttemptMs(s, 12, t0, late, std::nullopt, 0.5));
  EXPECT_TRUE(NextAttemptMs(s, 1, t0, late, std::nullopt, 0.5));
}

}  // namespace
}  // namespace c2p::notify
