#include "domain/path_ids.hpp"

#include <string>

#include "core/ids.hpp"

namespace c2p::domain {

std::string_view PathIdName(PathId kind) {
  return kind == PathId::kConsumerId ? "consumerId" : "cardId";
}

core::Result<void> CheckPathId(PathId kind, std::string_view value) {
  const bool ok = kind == PathId::kConsumerId ? core::IsConsumerId(value) : core::IsCardId(value);
  if (ok) return {};
  const std::string name(PathIdName(kind));
  return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                    kind == PathId::kConsumerId ? "consumerId must match ^[A-Za-z0-9_-]{1,64}$"
                                                : "cardId must match ^[A-Za-z0-9_-]{1,48}$",
                    "/" + name);
}

}  // namespace c2p::domain
