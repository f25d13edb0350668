// The `text` message type: content {"text": "..."}.
#include <fieldlink/sdk/plugin.hpp>

#include "text_normaliser.hpp"

namespace {

using fieldlink::sdk::HostContext;
using fieldlink::sdk::MessageContext;
using fieldlink::sdk::StartResult;
using fieldlink::sdk::ValidationResult;

constexpr int kDefaultMaxLength = 4000;
constexpr std::size_t kSummaryLength = 80;

class TextPlugin final : public fieldlink::sdk::Plugin, public fieldlink::sdk::MessageTypePlugin {
 public:
  StartResult start(HostContext& host) override {
    const int max_length = host.config().getInt("max_length", kDefaultMaxLength);
    if (max_length < 1 || max_length > 1000000)
      return StartResult::failed("plugins.text.max_length must be between 1 and 1000000");
    max_length_ = static_cast<std::size_t>(max_length);
    return StartResult::ok();
  }

  fieldlink::sdk::MessageTypePlugin* message_type() override { return this; }

  ValidationResult validate(const Poco::JSON::Object& content,
                            const MessageContext&) const override {
    if (!content.has("text")) return ValidationResult::reject("text", "This field is required.");
    const Poco::Dynamic::Var value = content.get("text");
    if (!value.isString()) return ValidationResult::reject("text", "Must be a string.");
    const auto normalised = fieldlink::text::normaliseText(value.extract<std::string>());
    if (!normalised) return ValidationResult::reject("text", "Must be valid UTF-8.");
    if (normalised->code_points == 0) return ValidationResult::reject("text", "May not be blank.");
    if (normalised->code_points > max_length_)
      return ValidationResult::reject("text",
                                      "At most " + std::to_string(max_length_) + " characters.");
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("text", normalised->text);
    return ValidationResult::accept(out);
  }

  std::string summary(const Poco::JSON::Object& content) const override {
    const std::string text = content.optValue<std::string>("text", "");
    return fieldlink::text::firstCharacters(text, kSummaryLength);
  }

 private:
  std::size_t max_length_ = kDefaultMaxLength;
};

}  // namespace

FIELDLINK_PLUGIN(TextPlugin, "text", "1.0.0", MessageType)
