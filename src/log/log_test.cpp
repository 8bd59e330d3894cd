#include "log/log.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace c2p::log {
namespace {

TEST(Log, LineIsOneJsonObjectWithTypedFields) {
  const std::string line = FormatLine(Level::kInfo, "http.request",
                                      {{"status", 200}, {"route", "/healthz"}, {"ok", true}});
  auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("level").as_string(), "info");
  EXPECT_EQ(v.at("event").as_string(), "http.request");
  EXPECT_EQ(v.at("status").as_int64(), 200);
  EXPECT_EQ(v.at("route").as_string(), "/healthz");
  EXPECT_TRUE(v.at("ok").as_bool());
}

TEST(Log, ControlCharactersAndQuotesAreEscaped) {
  const std::string line = FormatLine(Level::kWarn, "e", {{"msg", "a\"b\n\x01"}});
  auto v = boost::json::parse(line);
  EXPECT_EQ(v.at("msg").as_string(), "a\"b\n\x01");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Log, LevelsFilter) {
  Init({Level::kWarn, {}});
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  Init({Level::kInfo, {}});
  EXPECT_TRUE(Enabled(Level::kInfo));
}

// Secret types do not compile as fields; this is checked by the static_assert in Field.
template <typename T>
concept Loggable = requires(const T& t) {
  Field("k", t);
};
static_assert(Loggable<int>);
static_assert(Loggable<std::string>);

}  // namespace
}  // namespace c2p::log
