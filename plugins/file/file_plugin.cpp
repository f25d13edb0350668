// The `file` message type (photos too): content {"attachment_id": N}, normalised to
// {attachment_id, content_type, name, size, width?, height?}.
#include "media_message_type.hpp"

namespace {

using namespace fieldlink;

class FilePlugin final : public media_rules::MediaMessageType {
 public:
  FilePlugin()
      : MediaMessageType("file", "file",
                         {25 << 20,
                          "image/jpeg,image/png,image/webp,image/gif,image/heic,application/pdf,"
                          "text/plain",
                          0}) {}

  std::string summary(const Poco::JSON::Object& content) const override {
    if (content.optValue<std::string>("content_type", "").rfind("image/", 0) == 0) return "Photo";
    const std::string name = content.optValue<std::string>("name", "");
    return name.empty() ? "File" : "File: " + name;
  }

 protected:
  std::optional<std::string> configure(const Poco::Util::AbstractConfiguration& config) override {
    // A customer's photo of their boiler must not carry their home's coordinates.
    strip_location_ = config.getBool("strip_location", true);
    return std::nullopt;
  }

  sdk::UploadDecision reviewMedia(const sdk::MediaInfo&) const override {
    return sdk::UploadDecision::accept(strip_location_);
  }

  void describe(const sdk::Attachment& file, Poco::JSON::Object& content) const override {
    content.set("name", file.name);
    content.set("size", static_cast<Poco::Int64>(file.size));
    if (file.media.width) content.set("width", *file.media.width);
    if (file.media.height) content.set("height", *file.media.height);
  }

 private:
  bool strip_location_ = true;
};

}  // namespace

FIELDLINK_PLUGIN(FilePlugin, "file", "1.0.0", MessageType)
