#include "log/log.hpp"

#include <atomic>
#include <chrono>
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/time_format.hpp"

namespace c2p::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::shared_ptr<spdlog::logger> g_logger;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

void AppendEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::string FormatLine(Level level, std::string_view event, std::initializer_list<Field> fields) {
  std::string out;
  out.reserve(128);
  out += "{\"ts\":\"";
  out += core::FormatIsoMillis(std::chrono::system_clock::now());
  out += "\",\"level\":\"";
  out += LevelName(level);
  out += "\",\"event\":";
  AppendEscaped(out, event);
  for (const Field& f : fields) {
    out.push_back(',');
    AppendEscaped(out, f.key());
    out.push_back(':');
    std::visit(
        [&out](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string_view>) {
            AppendEscaped(out, v);
          } else if constexpr (std::is_same_v<V, bool>) {
            out += v ? "true" : "false";
          } else {
            out += std::to_string(v);
          }
        },
        f.value());
  }
  out.push_back('}');
  return out;
}

void Init(const Options& options) {
  std::shared_ptr<spdlog::logger> logger;
  if (options.file.empty()) {
    logger =
        std::make_shared<spdlog::logger>("c2p", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "c2p", std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
  }
  // The line is fully formatted by FormatLine: spdlog only writes it.
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  std::atomic_store(&g_logger, logger);
  g_level.store(options.level);
}

bool Enabled(Level level) {
  return level != Level::kOff && static_cast<int>(level) >= static_cast<int>(g_level.load());
}

core::Result<Level> ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  if (name == "off") return Level::kOff;
  return core::Fail(core::ErrorCode::kConfigInvalid,
                    "log level must be one of debug, info, warn, error, off");
}

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  auto logger = std::atomic_load(&g_logger);
  if (!logger) {
    Init({});
    logger = std::atomic_load(&g_logger);
  }
  logger->info(FormatLine(level, event, fields));
}

}  // namespace c2p::log
