#include "core/time_format.hpp"

#include <cstdio>

namespace c2p::core {

using std::chrono::days;
using std::chrono::milliseconds;

std::int64_t ToUnixMillis(SystemTime t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

SystemTime FromUnixMillis(std::int64_t ms) { return SystemTime(milliseconds(ms)); }

std::string FormatIsoMillis(SystemTime t) {
  const auto ms_total = ToUnixMillis(t);
  const auto day_point = std::chrono::floor<days>(milliseconds(ms_total));
  const std::chrono::year_month_day ymd{std::chrono::sys_days(day_point)};
  std::int64_t ms_of_day = ms_total - std::chrono::duration_cast<milliseconds>(day_point).count();
  const int hh = static_cast<int>(ms_of_day / 3'600'000);
  const int mm = static_cast<int>(ms_of_day / 60'000 % 60);
  const int ss = static_cast<int>(ms_of_day / 1000 % 60);
  const int mmm = static_cast<int>(ms_of_day % 1000);
  const int year = int(ymd.year());
  if (year >= 0 && year <= 9999) {
    // Digits written directly: snprintf's format interpretation was most of the cost of
    // a tokeninfo reply (P6, docs/performance.md).
    std::string out = "0000-00-00T00:00:00.000Z";
    auto put = [&out](std::size_t at, int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) {
        out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      }
    };
    put(0, year, 4);
    put(5, static_cast<int>(unsigned(ymd.month())), 2);
    put(8, static_cast<int>(unsigned(ymd.day())), 2);
    put(11, hh, 2);
    put(14, mm, 2);
    put(17, ss, 2);
    put(20, mmm, 3);
    return out;
  }
  // Sized for any int year, not just 4 digits: g++ -O3 with _FORTIFY_SOURCE (the release
  // preset) otherwise fails the build with -Wformat-truncation.
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), hh, mm, ss, mmm);
  return buf;
}

namespace {
bool Digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<SystemTime> ParseIsoMillis(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != '.' || s[23] != 'Z') {
    return std::nullopt;
  }
  int y, mo, d, h, mi, se, ms;
  if (!Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d) || !Digits(s, 11, 2, h) ||
      !Digits(s, 14, 2, mi) || !Digits(s, 17, 2, se) || !Digits(s, 20, 3, ms)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                                        std::chrono::day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 59) return std::nullopt;
  return SystemTime(std::chrono::sys_days(ymd).time_since_epoch() + std::chrono::hours(h) +
                    std::chrono::minutes(mi) + std::chrono::seconds(se) + milliseconds(ms));
}

std::int64_t UnixMillisNow() { return ToUnixMillis(std::chrono::system_clock::now()); }

std::int64_t UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace c2p::core
