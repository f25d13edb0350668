// The `location` message type: content {latitude, longitude, accuracy?, label?}, normalised
// with a `map_url` to open it.
#include <chrono>

#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/time.hpp>

#include "coordinates.hpp"

namespace {

using namespace fieldlink;

constexpr const char* kDefaultMap =
    "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}";
constexpr std::size_t kMaxLabelBytes = 200;

class LocationPlugin final : public sdk::Plugin, public sdk::MessageTypePlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    host_ = &host;
    map_url_ = host.config().getString("map_url", kDefaultMap);
    max_live_ = std::chrono::minutes(host.config().getInt("max_live_minutes", 480));
    if (max_live_.count() < 1)
      return sdk::StartResult::failed("plugins.location.max_live_minutes must be positive");
    if (map_url_.find("{lat}") == std::string::npos || map_url_.find("{lon}") == std::string::npos)
      return sdk::StartResult::failed("plugins.location.map_url must contain {lat} and {lon}");
    return sdk::StartResult::ok();
  }

  sdk::MessageTypePlugin* message_type() override { return this; }

  sdk::ValidationResult validate(const Poco::JSON::Object& content,
                                 const sdk::MessageContext&) const override {
    const auto read = location::readPosition(content);
    if (!read.position) return sdk::ValidationResult::reject(read.field, read.reason);
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("latitude", read.position->latitude);
    out->set("longitude", read.position->longitude);
    if (read.position->accuracy) out->set("accuracy", *read.position->accuracy);
    if (content.has("label") && !content.isNull("label")) {
      const Poco::Dynamic::Var label = content.get("label");
      if (!label.isString() || label.extract<std::string>().size() > kMaxLabelBytes)
        return sdk::ValidationResult::reject("label", "At most 200 bytes of text.");
      out->set("label", label.extract<std::string>());
    }
    out->set("map_url", location::mapLink(map_url_, *read.position));
    if (content.has("live_until") && !content.isNull("live_until")) {
      // Shared live until then: the sender's later positions update this message.
      const auto until = content.get("live_until");
      const auto at =
          until.isString() ? sdk::parseTime(until.extract<std::string>()) : std::nullopt;
      const auto now = host_->now();
      if (!at || *at <= now || *at > now + max_live_)
        return sdk::ValidationResult::reject("live_until",
                                             "Must be an RFC 3339 time within the next " +
                                                 std::to_string(max_live_.count()) + " minutes.");
      out->set("live_until", sdk::formatTime(*at));
    }
    return sdk::ValidationResult::accept(out);
  }

  std::string summary(const Poco::JSON::Object& content) const override {
    const std::string label = content.optValue<std::string>("label", "");
    return (label.empty() ? "Location" : "Location: " + label) + " " +
           content.optValue<std::string>("map_url", "");
  }

 private:
  sdk::HostContext* host_ = nullptr;
  std::string map_url_ = kDefaultMap;
  std::chrono::minutes max_live_{480};
};

}  // namespace

FIELDLINK_PLUGIN(LocationPlugin, "location", "1.0.0", MessageType)
