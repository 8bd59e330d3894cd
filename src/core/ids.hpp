#pragma once
// Identifier rules of spec/api.md §1 and generation of c2p's own ids.

#include <cstdint>
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
// without padding (22 characters). Used for request, webhook, token (jti) and key ids.
std::string NewRandomId(std::string_view prefix = {});

// As NewRandomId, after the creation time: `prefix`, the milliseconds since the epoch as 8
// characters of an alphabet in ASCII order (so the ids of one process sort by creation
// time, byte for byte), then the 22 random characters (30 after the prefix). Stored ids
// keyed this way are appended at the end of their index instead of at a random leaf,
// which is what a store's write costs grow with; the random part keeps them unguessable.
// The creation time they show is no secret (the operation getters show it too).
std::string NewTimeOrderedId(std::string_view prefix = {});
// Its time part: the low 48 bits of `ms`, 8 characters that sort as the numbers do.
std::string SortableMillis(std::uint64_t ms);

// A correlation id for a request that came without one: 22 characters, unique per process
// run (a random per-thread prefix drawn once, then a counter). Cheap enough for every
// request; not unguessable, so never use it where an id must be (operations, tokens).
std::string NewCorrelationId();

}  // namespace c2p::core
