#include "media_rules.hpp"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

namespace fieldlink::media_rules {
namespace {

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::set<std::string> listOf(const std::string& text) {
  Poco::StringTokenizer items(
      text, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  std::set<std::string> out;
  for (const auto& item : items) out.insert(Poco::toLower(item));
  return out;
}

bool codecAllowed(const std::set<std::string>& allowed, const std::string& codec) {
  if (allowed.empty() || allowed.count(codec)) return true;
  for (const auto& entry : allowed)
    if (entry.size() > 1 && entry.back() == '*' &&
        codec.compare(0, entry.size() - 1, entry, 0, entry.size() - 1) == 0)
      return true;
  return false;
}

}  // namespace

std::optional<std::string> readLimits(const Poco::Util::AbstractConfiguration& config,
                                      const std::string& plugin, const LimitDefaults& defaults,
                                      Limits& limits) {
  const std::string prefix = "plugins." + plugin + ".";
  try {
    limits.max_bytes = config.getInt64("max_bytes", defaults.max_bytes);
    if (limits.max_bytes < 1) return prefix + "max_bytes must be positive";
    limits.allowed_types = listOf(config.getString("allowed_types", defaults.allowed_types));
    if (limits.allowed_types.empty()) return prefix + "allowed_types must name at least one type";
    limits.allowed_codecs = listOf(config.getString("allowed_codecs", defaults.allowed_codecs));
    const int seconds = config.getInt("max_duration_seconds", defaults.max_duration_seconds);
    if (seconds < 0) return prefix + "max_duration_seconds must not be negative";
    if (seconds > 0) limits.max_duration_ms = std::int64_t{seconds} * 1000;
  } catch (const Poco::Exception& e) {
    return prefix + "*: " + e.displayText();
  }
  return std::nullopt;
}

sdk::UploadDecision checkLimits(const Limits& limits, const sdk::MediaInfo& media,
                                std::int64_t size, const std::string& kind) {
  if (size > limits.max_bytes)
    return sdk::UploadDecision::tooLarge("A " + kind + " may have at most " +
                                         std::to_string(limits.max_bytes) + " bytes.");
  if (!limits.allowed_types.count(media.content_type))
    return sdk::UploadDecision::unsupported("This file is " + media.content_type + "; a " + kind +
                                            " may be " + joined(limits.allowed_types) + ".");
  for (const auto& codec : media.codecs)
    if (!codecAllowed(limits.allowed_codecs, codec))
      return sdk::UploadDecision::unsupported("This file's " + codec +
                                              " codec is not accepted; a " + kind + " may use " +
                                              joined(limits.allowed_codecs) + ".");
  if (limits.max_duration_ms && media.duration_ms && *media.duration_ms > *limits.max_duration_ms)
    return sdk::UploadDecision::tooLarge(
        "A " + kind + " may last at most " + formatDuration(*limits.max_duration_ms) +
        "; this one lasts " + formatDuration(*media.duration_ms) + ".");
  return sdk::UploadDecision::accept();
}

std::string formatDuration(std::int64_t ms) {
  const std::int64_t seconds = (ms + 500) / 1000;
  const std::string rest = std::to_string(seconds % 60);
  return std::to_string(seconds / 60) + ":" + (rest.size() == 1 ? "0" : "") + rest;
}

}  // namespace fieldlink::media_rules
