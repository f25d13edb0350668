#include "attachments/media_json.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace fieldlink::attachments {

Poco::JSON::Object::Ptr mediaToJson(const sdk::MediaInfo& media) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("content_type", media.content_type);
  if (!media.container.empty()) o->set("container", media.container);
  if (!media.codecs.empty()) {
    Poco::JSON::Array::Ptr codecs = new Poco::JSON::Array;
    for (const auto& codec : media.codecs) codecs->add(codec);
    o->set("codecs", codecs);
  }
  if (media.has_audio) o->set("has_audio", true);
  if (media.has_video) o->set("has_video", true);
  if (media.duration_ms) o->set("duration_ms", static_cast<Poco::Int64>(*media.duration_ms));
  if (media.width) o->set("width", *media.width);
  if (media.height) o->set("height", *media.height);
  if (media.has_location) o->set("has_location", true);
  return o;
}

sdk::MediaInfo mediaFromJson(const std::string& json) {
  sdk::MediaInfo media;
  const auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  media.content_type = o->optValue<std::string>("content_type", "");
  media.container = o->optValue<std::string>("container", "");
  if (auto codecs = o->getArray("codecs"))
    for (std::size_t i = 0; i < codecs->size(); ++i)
      media.codecs.push_back(codecs->getElement<std::string>(i));
  media.has_audio = o->optValue<bool>("has_audio", false);
  media.has_video = o->optValue<bool>("has_video", false);
  if (o->has("duration_ms")) media.duration_ms = o->getValue<Poco::Int64>("duration_ms");
  if (o->has("width")) media.width = o->getValue<int>("width");
  if (o->has("height")) media.height = o->getValue<int>("height");
  media.has_location = o->optValue<bool>("has_location", false);
  return media;
}

}  // namespace fieldlink::attachments
