#include "http/request.hpp"

namespace c2p::http {

std::string_view Request::header(std::string_view name) const {
  auto it = raw_.find(boost::beast::string_view(name.data(), name.size()));
  if (it == raw_.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view Request::header(beast_http::field name) const {
  auto it = raw_.find(name);
  if (it == raw_.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; nullopt on a broken escape.
std::optional<std::string> FormDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}
}  // namespace

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query_;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return FormDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace c2p::http
