#include "store/store.hpp"

#include <string>

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace c2p::store {

core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options,
                                               core::metrics::Registry& registry) {
  // The URL itself stays out of the messages: a postgresql URL may carry a password.
  constexpr std::string_view kSqliteScheme = "sqlite:";
  constexpr std::string_view kPostgresScheme = "postgresql://";
  if (url.starts_with(kPostgresScheme)) {
    if (url.find('\0') != std::string_view::npos) {
      return core::Fail(core::ErrorCode::kConfigInvalid, "store URL holds a NUL byte");
    }
    auto store = postgres::PgStore::Open(std::string(url), options, registry);
    if (!store) return tl::unexpected(std::move(store.error()));
    return std::unique_ptr<Store>(std::move(*store));
  }
  if (!url.starts_with(kSqliteScheme)) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "unsupported store URL scheme");
  }
  const std::string_view path = url.substr(kSqliteScheme.size());
  // A NUL would cut the path short and silently open another file.
  if (path.empty() || path.find('\0') != std::string_view::npos) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "store URL names no usable file path");
  }
  auto store = sqlite::SqliteStore::Open(std::string(path), options, registry);
  if (!store) return tl::unexpected(std::move(store.error()));
  return std::unique_ptr<Store>(std::move(*store));
}

bool SharedByNodes(std::string_view url) {
  return url.starts_with("postgresql:") || url.starts_with("postgres:");
}

}  // namespace c2p::store
