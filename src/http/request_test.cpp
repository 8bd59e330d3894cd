#include "http/request.hpp"

#include <gtest/gtest.h>

namespace c2p::http {
namespace {

Request Make(std::string_view query) {
  RawRequest raw{beast_http::verb::get, "/x", 11};
  raw.set("X-Thing", "v");
  return Request(std::move(raw), "/x", query);
}

TEST(Request, QueryParamsAreDecoded) {
  Request r = Make("offset=10&limit=5&q=a%20b+c&empty=&flag");
  EXPECT_EQ(r.query_param("offset"), "10");
  EXPECT_EQ(r.query_param("limit"), "5");
  EXPECT_EQ(r.query_param("q"), "a b c");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_FALSE(r.query_param("missing"));
}

TEST(Request, BrokenPercentEscapesAreNotGuessed) {
  Request r = Make("a=%4&b=%zz&c=%");
  EXPECT_FALSE(r.query_param("a"));
  EXPECT_FALSE(r.query_param("b"));
  EXPECT_FALSE(r.query_param("c"));
}

TEST(Request, HeadersAreCaseInsensitive) {
  Request r = Make("");
  EXPECT_EQ(r.header("x-thing"), "v");
  EXPECT_EQ(r.header("absent"), "");
}

}  // namespace
}  // namespace c2p::http
