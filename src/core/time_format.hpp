#pragma once
// Times on the wire: ISO 8601 UTC with milliseconds, e.g. 2026-01-17T06:28:02.492Z.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace c2p::core {

using SystemTime = std::chrono::system_clock::time_point;

std::string FormatIsoMillis(SystemTime t);
// Parses exactly the format above; nullopt for anything else or a non-existent date.
std::optional<SystemTime> ParseIsoMillis(std::string_view text);

// Unix milliseconds, the representation the stores use.
std::int64_t ToUnixMillis(SystemTime t);
// Now, in unix milliseconds and in unix seconds: the one clock every timestamp the
// stores keep comes from.
std::int64_t UnixMillisNow();
std::int64_t UnixSecondsNow();
SystemTime FromUnixMillis(std::int64_t ms);

}  // namespace c2p::core
