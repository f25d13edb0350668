#pragma once

#include <string>

#include <Poco/JSON/Object.h>
#include <fieldlink/sdk/media.hpp>

namespace fieldlink::attachments {

// The probe's findings as stored with an attachment and shown to clients.
Poco::JSON::Object::Ptr mediaToJson(const sdk::MediaInfo& media);
sdk::MediaInfo mediaFromJson(const std::string& json);

}  // namespace fieldlink::attachments
