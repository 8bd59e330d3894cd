#include "http/wire.hpp"

#include <gtest/gtest.h>

namespace c2p::http {
namespace {

TEST(Wire, HeadHasStatusLineHeadersAndBlankLine) {
  Reply r = Text(Status::ok, "hi");
  std::string out;
  AppendHead(out, r, {11, true, "c2p", "abc"});
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK\r\nDate: ")) << out;
  EXPECT_NE(out.find(" GMT\r\nServer: c2p\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\r\nContent-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nx-correlation-id: abc\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\nContent-Length: 2\r\n\r\n")) << out;
  EXPECT_EQ(out.find("Connection"), std::string::npos);
}

TEST(Wire, CloseAndHttp10KeepAliveAreExplicit) {
  Reply r = Text(Status::not_found, "");
  std::string out;
  AppendHead(out, r, {11, false, "c2p", {}});
  EXPECT_TRUE(out.starts_with("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_NE(out.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(out.find("x-correlation-id"), std::string::npos);
  out.clear();
  AppendHead(out, r, {10, true, "c2p", {}});
  EXPECT_TRUE(out.starts_with("HTTP/1.0 404 Not Found\r\n"));
  EXPECT_NE(out.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
}

TEST(Wire, NoContentHasNoLengthOrType) {
  std::string out;
  AppendHead(out, NoContent(), {11, true, "c2p", {}});
  EXPECT_TRUE(out.starts_with("HTTP/1.1 204 No Content\r\n"));
  EXPECT_EQ(out.find("Content-Length"), std::string::npos);
  EXPECT_EQ(out.find("Content-Type"), std::string::npos);
}

TEST(Wire, ExtraHeadersAreWritten) {
  Reply r = Text(Status::method_not_allowed, "x");
  r.WithHeader("Allow", "GET, PUT");
  std::string out;
  AppendHead(out, r, {11, true, "c2p", {}});
  EXPECT_NE(out.find("\r\nAllow: GET, PUT\r\n"), std::string::npos);
}

TEST(Wire, HeadersWithLineBreaksAreNeverWritten) {
  Reply r = Text(Status::ok, "x");
  r.WithHeader("Location", "/a\r\nSet-Cookie: x=1");
  std::string out;
  AppendHead(out, r, {11, true, "c2p", {}});
  EXPECT_EQ(out.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(out.find("Location"), std::string::npos);
}

TEST(Wire, DateIsAnImfFixdate) {
  const std::string_view d = HttpDateNow();
  ASSERT_EQ(d.size(), 29u) << d;
  EXPECT_TRUE(d.ends_with(" GMT"));
  EXPECT_EQ(d[3], ',');
}

}  // namespace
}  // namespace c2p::http
