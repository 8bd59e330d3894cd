#include "core/strict_json.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

namespace c2p::core {
namespace json = boost::json;

namespace {

enum class Reject { kNone, kDuplicateKey, kNonFinite };

// Builds the value itself instead of using json::parser, because json::parser silently
// keeps the last of duplicate keys, and a request that says two things at once must be
// refused rather than guessed at.
class Builder {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_array_begin(json::error_code&) {
    stack_.emplace_back(json::array());
    keys_.emplace_back();
    return true;
  }
  bool on_array_end(std::size_t, json::error_code& ec) { return Close(ec); }
  bool on_object_begin(json::error_code&) {
    stack_.emplace_back(json::object());
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code& ec) { return Close(ec); }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    text_.append(s.data(), s.size());
    // Not value{...}: braces pick the initializer-list constructor, which would wrap
    // the string in a one-element array.
    json::value v = json::string(text_);
    text_.clear();
    return Put(std::move(v), ec);
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    text_.append(s.data(), s.size());
    auto& object = stack_.back().as_object();
    if (object.contains(text_)) {
      reject_ = Reject::kDuplicateKey;
      ec = json::error::syntax;
      return false;
    }
    keys_.back() = std::move(text_);
    text_.clear();
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code& ec) {
    number_.clear();
    return Put(json::value(i), ec);
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code& ec) {
    number_.clear();
    return Put(json::value(u), ec);
  }
  bool on_double(double d, json::string_view s, json::error_code& ec) {
    // Boost.JSON 1.81 rounds some decimals one ulp off (it promises 15 digits). Signed
    // batch files are checked over their RFC 8785 form, which prints the double back: it
    // must be the correctly rounded one, so the text is read again with from_chars.
    number_.append(s.data(), s.size());
    double exact = 0;
    const auto [end, err] = std::from_chars(number_.data(), number_.data() + number_.size(), exact);
    if (err == std::errc() && end == number_.data() + number_.size()) d = exact;
    number_.clear();
    if (!std::isfinite(d)) {
      reject_ = Reject::kNonFinite;
      ec = json::error::syntax;
      return false;
    }
    return Put(json::value(d), ec);
  }
  bool on_bool(bool b, json::error_code& ec) { return Put(json::value(b), ec); }
  bool on_null(json::error_code& ec) { return Put(json::value(nullptr), ec); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  json::value Release() { return std::move(root_); }
  Reject reject() const { return reject_; }

 private:
  bool Close(json::error_code& ec) {
    json::value done = std::move(stack_.back());
    stack_.pop_back();
    keys_.pop_back();
    return Put(std::move(done), ec);
  }

  bool Put(json::value v, json::error_code&) {
    if (stack_.empty()) {
      root_ = std::move(v);
    } else if (stack_.back().is_array()) {
      stack_.back().as_array().push_back(std::move(v));
    } else {
      stack_.back().as_object().emplace(keys_.back(), std::move(v));
    }
    return true;
  }

  std::vector<json::value> stack_;
  std::vector<std::string> keys_;  // the pending key of each open object
  std::string text_;
  std::string number_;  // the text of the number being read
  json::value root_;
  Reject reject_ = Reject::kNone;
};

}  // namespace

Result<json::value> ParseStrictJson(std::string_view text, std::size_t max_depth) {
  json::parse_options options;
  options.max_depth = max_depth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  json::basic_parser<Builder> parser(options);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::error::extra_data;
  if (ec) {
    switch (parser.handler().reject()) {
      case Reject::kDuplicateKey:
        return Fail(ErrorCode::kInvalidJson, "duplicate key in JSON object");
      case Reject::kNonFinite:
        return Fail(ErrorCode::kInvalidJson, "number out of range");
      case Reject::kNone:
        break;
    }
    if (ec == json::error::too_deep) {
      return Fail(ErrorCode::kInvalidJson, "JSON nested deeper than " + std::to_string(max_depth));
    }
    return Fail(ErrorCode::kInvalidJson, "not valid JSON (syntax or UTF-8)");
  }
  return parser.handler().Release();
}

}  // namespace c2p::core
