#pragma once
// Identifier rules of spec/api.md §1 and generation of c2p's own ids.

#include <string>
#include <string_view>

namespace c2p::core {

// ^[A-Za-z0-9_-]{min,max}$
bool IsIdToken(std::string_view text, std::size_t min_len, std::size_t max_len);

inline bool IsIssuerId(std::string_view s) { return IsIdToken(s, 10, 10); }
inline bool IsConsumerId(std::string_view s) { return IsIdToken(s, 1, 64); }
inline bool IsCardId(std::string_view s) { return IsIdToken(s, 1, 48); }
inline bool IsCorrelationId(std::string_view s) { return IsIdToken(s, 1, 64); }
inline bool IsGeneratedId(std::string_view s) { return IsIdToken(s, 1, 64); }

// A random, unguessable id: `prefix` followed by 128 bits from the OS CSPRNG, base64url
// without padding (22 characters). Used for operation ids, digital card ids, correlation ids.
std::string NewRandomId(std::string_view prefix = {});

// A correlation id for a request that came without one: 22 characters, unique per process
// run (a random per-thread prefix drawn once, then a counter). Cheap enough for every
// request; not unguessable, so never use it where an id must be (operations, tokens).
std::string NewCorrelationId();

}  // namespace c2p::core
