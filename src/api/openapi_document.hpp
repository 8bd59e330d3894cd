#pragma once
// The OpenAPI 3.1 document of every inbound route (api/openapi.json at the repository's
// root, the one source of truth), embedded at build time by cmake/embed_text.cmake so
// c2pd serves it without reading anything from disk (docs/openapi.md).

#include <string_view>

namespace c2p::api {

std::string_view OpenApiDocument();

}  // namespace c2p::api
