#pragma once

// What the file, voice and video message types share: their limits from config, the common
// checks of an upload, and the content that names it. Plugin-side code: SDK only.

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media_rules {

struct Limits {
  std::int64_t max_bytes = 0;
  std::set<std::string> allowed_types;
  // libavcodec's names of the codecs every stream may use ("opus", "h264"); an entry ending
  // in '*' stands for every name it starts ("pcm_*"). Empty: any codec.
  std::set<std::string> allowed_codecs;
  std::optional<std::int64_t> max_duration_ms;  // audio and video only
};

struct LimitDefaults {
  std::int64_t max_bytes;
  const char* allowed_types;        // comma-separated
  int max_duration_seconds = 0;     // 0: no duration limit
  const char* allowed_codecs = "";  // comma-separated; empty: any
};

// Reads `max_bytes`, `allowed_types`, `allowed_codecs` and `max_duration_seconds` from the
// plugin's section;
// returns an error naming the key, or nothing.
std::optional<std::string> readLimits(const Poco::Util::AbstractConfiguration& config,
                                      const std::string& plugin, const LimitDefaults& defaults,
                                      Limits& limits);

// Size, type, codecs and duration against the limits; `kind` names the message type for the
// client ("voice message"). An accepted verdict otherwise. Codecs and duration are judged
// only when known, so this also screens an upload before it is decoded (sdk::UploadScreen).
sdk::UploadDecision checkLimits(const Limits& limits, const sdk::MediaInfo& media,
                                std::int64_t size, const std::string& kind);

// "1:05" for 65000 ms.
std::string formatDuration(std::int64_t ms);

}  // namespace fieldlink::media_rules
