#include "domain/secret_json.hpp"

#include <algorithm>
#include <cstdint>

#include "domain/utf8.hpp"

namespace c2p::domain {

namespace {

// One pass over the input, writing decoded strings into `out` one after another.
class Parser {
 public:
  Parser(std::string_view text, std::uint8_t* out) : text_(text), out_(out) {}

  bool AtEnd() const { return pos_ == text_.size(); }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Take(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  // Decodes the string at pos_ (which must start with '"') into the output; on success
  // `offset`/`size` locate it there.
  bool String(std::size_t& offset, std::size_t& size) {
    if (!Take('"')) return false;
    offset = written_;
    while (pos_ < text_.size()) {
      const auto byte = static_cast<std::uint8_t>(text_[pos_]);
      if (byte == '"') {
        ++pos_;
        size = written_ - offset;
        return true;
      }
      if (byte == '\\') {
        if (!Escape()) return false;
      } else if (byte < 0x20) {
        return false;  // control characters must be escaped (RFC 8259 §7)
      } else if (byte < 0x80) {
        out_[written_++] = byte;
        ++pos_;
      } else {
        const std::size_t start = pos_;
        if (!DecodeUtf8(text_, pos_)) return false;
        for (std::size_t i = start; i < pos_; ++i)
          out_[written_++] = static_cast<std::uint8_t>(text_[i]);
      }
    }
    return false;  // unterminated
  }

 private:
  bool Escape() {
    ++pos_;  // the backslash
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_++];
    std::uint8_t simple = 0;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        simple = static_cast<std::uint8_t>(c);
        break;
      case 'b':
        simple = '\b';
        break;
      case 'f':
        simple = '\f';
        break;
      case 'n':
        simple = '\n';
        break;
      case 'r':
        simple = '\r';
        break;
      case 't':
        simple = '\t';
        break;
      case 'u':
        return UnicodeEscape();
      default:
        return false;
    }
    out_[written_++] = simple;
    return true;
  }

  // After "\u": four hex digits, and for a high surrogate the "\uDC00".."\uDFFF" that must
  // follow it; a lone surrogate is not a character.
  bool UnicodeEscape() {
    char32_t cp = 0;
    if (!Hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      char32_t low = 0;
      if (!Take('\\') || !Take('u') || !Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    written_ += EncodeUtf8(cp, out_ + written_);
    return true;
  }

  bool Hex4(char32_t& value) {
    if (text_.size() - pos_ < 4) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      int digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      value = (value << 4) | static_cast<char32_t>(digit);
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint8_t* out_;
  std::size_t written_ = 0;
};

}  // namespace

std::optional<std::string_view> SecretStringObject::Get(std::string_view name) const {
  for (const Member& m : members_) {
    if (m.name == name) return buffer_.as_text().substr(m.offset, m.size);
  }
  return std::nullopt;
}

tl::expected<SecretStringObject, SecretJsonError> ParseSecretStringObject(
    std::string_view text, std::span<const std::string_view> names) {
  using Fail = tl::unexpected<SecretJsonError>;
  SecretStringObject object;
  // Every decoded string is no longer than its JSON form, so the input's size is enough
  // for all of them: one allocation, never grown, wiped by SecretBytes.
  object.buffer_ = core::SecretBytes(text.size());
  Parser parser(text, object.buffer_.data());

  parser.SkipSpace();
  if (!parser.Take('{')) return Fail(SecretJsonError::kSyntax);
  parser.SkipSpace();
  if (!parser.Take('}')) {
    while (true) {
      std::size_t key_offset = 0;
      std::size_t key_size = 0;
      if (!parser.String(key_offset, key_size)) return Fail(SecretJsonError::kSyntax);
      parser.SkipSpace();
      if (!parser.Take(':')) return Fail(SecretJsonError::kSyntax);
      parser.SkipSpace();
      if (!parser.Peek('"')) return Fail(SecretJsonError::kNotAString);
      SecretStringObject::Member member;
      if (!parser.String(member.offset, member.size)) return Fail(SecretJsonError::kSyntax);

      const std::string_view key = object.buffer_.as_text().substr(key_offset, key_size);
      const auto known = std::find(names.begin(), names.end(), key);
      if (known == names.end()) return Fail(SecretJsonError::kUnknownMember);
      if (object.Get(key)) return Fail(SecretJsonError::kDuplicateMember);
      member.name = *known;
      object.members_.push_back(member);

      parser.SkipSpace();
      if (parser.Take('}')) break;
      if (!parser.Take(',')) return Fail(SecretJsonError::kSyntax);
      parser.SkipSpace();
    }
  }
  parser.SkipSpace();
  if (!parser.AtEnd()) return Fail(SecretJsonError::kSyntax);
  return object;
}

}  // namespace c2p::domain
