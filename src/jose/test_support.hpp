#pragma once
// Test-only helpers for the jose tests (never linked into c2p): keys generated once per
// test process, signing over arbitrary header text (which the production signer refuses to
// write), and running Debian's python3-jwcrypto for cross-checks.

#include <sys/wait.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret_bytes.hpp"
#include "jose/base64url.hpp"
#include "jose/rsa_key.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::jose::testing {

// RSA key generation takes a while (more under ASan), so each test process makes two.
inline const RsaKey& CachedRsaKey(int index) {
  static const std::array<RsaKey, 2> keys = {RsaKey::Generate(2048), RsaKey::Generate(2048)};
  return keys.at(static_cast<std::size_t>(index));
}

inline std::string Text(const core::SecretBytes& bytes) { return std::string(bytes.as_text()); }

inline std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Signs BASE64URL(header_json) '.' BASE64URL(payload) with `pkey` and SHA-256; `configure`
// sets the padding of an RSA signature.
template <typename Configure>
std::vector<std::uint8_t> SignDigestSign(EVP_PKEY* pkey, std::string_view input,
                                         Configure configure) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  std::size_t size = 0;
  std::vector<std::uint8_t> sig;
  if (md == nullptr ||
      EVP_DigestSignInit_ex(md, &pctx, "SHA256", nullptr, nullptr, pkey, nullptr) != 1 ||
      !configure(pctx) ||
      EVP_DigestSign(md, nullptr, &size, Bytes(input).data(), input.size()) != 1) {
    EVP_MD_CTX_free(md);
    throw std::runtime_error("test signing failed");
  }
  sig.resize(size);
  if (EVP_DigestSign(md, sig.data(), &size, Bytes(input).data(), input.size()) != 1) {
    EVP_MD_CTX_free(md);
    throw std::runtime_error("test signing failed");
  }
  sig.resize(size);
  EVP_MD_CTX_free(md);
  return sig;
}

// A compact ES256 JWS with any header text, r‖s as RFC 7518 §3.4 says.
inline std::string SignEs256Raw(std::string_view header_json, std::string_view payload,
                                EVP_PKEY* ec_private) {
  const std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload);
  const std::vector<std::uint8_t> der =
      SignDigestSign(ec_private, input, [](EVP_PKEY_CTX*) { return true; });
  const std::uint8_t* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) throw std::runtime_error("test signature decoding failed");
  std::array<std::uint8_t, 64> raw{};
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw.data() + 32, 32);
  ECDSA_SIG_free(sig);
  return input + "." + Base64UrlEncode(raw);
}

// A compact RS256 (pss = false) or PS256 JWS with any header text.
inline std::string SignRsaRaw(std::string_view header_json, std::string_view payload,
                              const RsaKey& key, bool pss, int salt_bytes = 32) {
  const std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload);
  const std::vector<std::uint8_t> sig = SignDigestSign(key.pkey(), input, [&](EVP_PKEY_CTX* ctx) {
    if (!pss) return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt_bytes) == 1;
  });
  return input + "." + Base64UrlEncode(sig);
}

// Replaces part `index` (0-based, split on '.') of a compact serialisation.
inline std::string ReplacePart(std::string_view compact, std::size_t index, std::string_view with) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = compact.find('.', start);
    parts.emplace_back(compact.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  parts.at(index) = std::string(with);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ".") + parts[i];
  return out;
}

inline std::string Part(std::string_view compact, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) start = compact.find('.', start) + 1;
  const std::size_t dot = compact.find('.', start);
  return std::string(compact.substr(start, dot == std::string_view::npos ? dot : dot - start));
}

// Flips one bit of the decoded bytes of part `index`.
inline std::string FlipBit(std::string_view compact, std::size_t index, std::size_t byte = 0) {
  auto bytes = Base64UrlDecode(Part(compact, index));
  if (!bytes || bytes->size() <= byte) throw std::logic_error("FlipBit out of range");
  (*bytes)[byte] ^= 0x01;
  return ReplacePart(compact, index, Base64UrlEncode(*bytes));
}

// Debian's python3-jwcrypto installs into /usr/bin/python3's path; a python3 earlier on
// PATH (pyenv, venv) may not have it, so that one is tried first.
inline constexpr std::array<const char*, 2> kPythons = {"/usr/bin/python3", "python3"};
inline constexpr int kNoJwcrypto = 77;

// A script every cross-check runs: exits 77 without jwcrypto, else does `mode` on files.
inline constexpr char kJwcryptoScript[] = R"py(
import json, sys
try:
    from jwcrypto import jwk, jws, jwe
except ImportError:
    sys.exit(77)
mode = sys.argv[1]
def load(path):
    return jwk.JWK.from_json(open(path).read())
def data(path):
    return open(path, "rb").read()
if mode == "sign":        # sign ALG KEY PAYLOAD KID -> compact JWS
    alg = sys.argv[2]
    token = jws.JWS(data(sys.argv[4]))
    token.add_signature(load(sys.argv[3]), alg=alg,
                        protected=json.dumps({"alg": alg, "kid": sys.argv[5]}))
    sys.stdout.write(token.serialize(compact=True))
elif mode == "verify":    # verify KEY TOKENS -> payloads, one line each
    for line in data(sys.argv[3]).decode().split():
        token = jws.JWS()
        token.deserialize(line)
        token.verify(load(sys.argv[2]))
        sys.stdout.write(token.payload.decode() + "\n")
elif mode == "encrypt":   # encrypt ALG KEY PLAINTEXT KID -> compact JWE
    token = jwe.JWE(data(sys.argv[4]), protected=json.dumps(
        {"alg": sys.argv[2], "enc": "A256GCM", "kid": sys.argv[5]}))
    token.add_recipient(load(sys.argv[3]))
    sys.stdout.write(token.serialize(compact=True))
elif mode == "decrypt":   # decrypt KEY TOKEN -> plaintext
    token = jwe.JWE()
    token.deserialize(data(sys.argv[3]).decode(), key=load(sys.argv[2]))
    sys.stdout.write(token.payload.decode())
)py";

struct PythonRun {
  int status = -1;
  std::string output;  // stdout and stderr
};

inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write test file");
}

// Runs kJwcryptoScript with `args` under the first python3 that has jwcrypto; nullopt when
// none has it (the caller skips).
inline std::optional<PythonRun> RunJwcrypto(const c2p::testing::ScratchDir& dir,
                                            const std::vector<std::string>& args) {
  const std::filesystem::path script = dir / "jwcrypto_check.py";
  WriteFile(script, kJwcryptoScript);
  for (const char* python : kPythons) {
    std::string command = std::string(python) + " '" + script.string() + "'";
    for (const auto& arg : args) command += " '" + arg + "'";
    command += " 2>&1";
    PythonRun run;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) continue;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      run.output.append(buffer.data(), n);
    }
    const int status = ::pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    // 127: no such interpreter; kNoJwcrypto: the interpreter lacks jwcrypto.
    if (run.status == 127 || run.status == kNoJwcrypto) continue;
    return run;
  }
  return std::nullopt;
}

}  // namespace c2p::jose::testing
