#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace c2p::core::metrics {
namespace {

TEST(Metrics, CounterRendersWithLabels) {
  Registry r;
  r.GetCounter("c2p_requests_total", "Requests.", {{"route", "/healthz"}, {"status", "200"}})
      .Add(3);
  const std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE c2p_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("c2p_requests_total{route=\"/healthz\",status=\"200\"} 3"),
            std::string::npos);
}

TEST(Metrics, SameNameAndLabelsIsTheSameInstrument) {
  Registry r;
  auto& a = r.GetCounter("x_total", "X.", {{"k", "v"}});
  auto& b = r.GetCounter("x_total", "X.", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
}

TEST(Metrics, HistogramIsCumulative) {
  Registry r;
  auto& h = r.GetHistogram("lat_seconds", "Latency.", {}, {0.1, 1.0});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  const std::string text = r.Render();
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"1\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_count 3"), std::string::npos) << text;
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry r;
  r.GetGauge("g", "G.", {{"k", "a\"b"}}).Set(1);
  EXPECT_NE(r.Render().find("g{k=\"a\\\"b\"} 1"), std::string::npos);
}

TEST(Metrics, OneNameCannotHaveTwoTypes) {
  Registry r;
  r.GetCounter("dual", "D.");
  EXPECT_THROW(r.GetGauge("dual", "D."), std::logic_error);
}

}  // namespace
}  // namespace c2p::core::metrics
