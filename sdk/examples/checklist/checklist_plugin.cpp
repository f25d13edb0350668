// The `checklist` message type: a list of items to tick, such as the steps of a job.
// Content {"title"?: string, "items": [{"text": string, "done"?: bool}, ...]}, normalised
// to trimmed texts and explicit `done` flags. Configuration: plugins.checklist.max_items.
#include <fieldlink/sdk/plugin.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

namespace {

using namespace fieldlink;

constexpr std::size_t kMaxTextBytes = 200;

// A trimmed, non-empty string of at most kMaxTextBytes; nothing otherwise.
std::optional<std::string> shortText(const Poco::Dynamic::Var& value) {
  if (!value.isString()) return std::nullopt;
  std::string text = Poco::trim(value.extract<std::string>());
  if (text.empty() || text.size() > kMaxTextBytes) return std::nullopt;
  return text;
}

class ChecklistPlugin final : public sdk::Plugin, public sdk::MessageTypePlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    max_items_ = host.config().getInt("max_items", 50);
    if (max_items_ < 1 || max_items_ > 500)
      return sdk::StartResult::failed("plugins.checklist.max_items must be between 1 and 500");
    return sdk::StartResult::ok();
  }

  sdk::MessageTypePlugin* message_type() override { return this; }

  // Called on many threads at once: reads only what start() set.
  sdk::ValidationResult validate(const Poco::JSON::Object& content,
                                 const sdk::MessageContext&) const override {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    if (content.has("title") && !content.isNull("title")) {
      const auto title = shortText(content.get("title"));
      if (!title) return sdk::ValidationResult::reject("title", "1 to 200 bytes of text.");
      out->set("title", *title);
    }
    const Poco::JSON::Array::Ptr items = content.getArray("items");
    if (!items || items->size() == 0 || items->size() > static_cast<std::size_t>(max_items_))
      return sdk::ValidationResult::reject(
          "items", "A list of 1 to " + std::to_string(max_items_) + " items.");
    Poco::JSON::Array::Ptr normalised = new Poco::JSON::Array;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string field = "items." + std::to_string(i);
      const Poco::JSON::Object::Ptr item = items->getObject(i);
      if (!item) return sdk::ValidationResult::reject(field, "Each item is an object.");
      const auto text = item->has("text") ? shortText(item->get("text")) : std::nullopt;
      if (!text) return sdk::ValidationResult::reject(field + ".text", "1 to 200 bytes of text.");
      bool done = false;
      if (item->has("done") && !item->isNull("done")) {
        const Poco::Dynamic::Var flag = item->get("done");
        if (!flag.isBoolean())
          return sdk::ValidationResult::reject(field + ".done", "true or false.");
        done = flag.extract<bool>();
      }
      Poco::JSON::Object::Ptr clean = new Poco::JSON::Object;
      clean->set("text", *text);
      clean->set("done", done);
      normalised->add(clean);
    }
    out->set("items", normalised);
    return sdk::ValidationResult::accept(out);
  }

  std::string summary(const Poco::JSON::Object& content) const override {
    const Poco::JSON::Array::Ptr items = content.getArray("items");
    std::size_t done = 0;
    const std::size_t total = items ? items->size() : 0;
    for (std::size_t i = 0; i < total; ++i)
      if (items->getObject(i)->optValue<bool>("done", false)) ++done;
    const std::string title = content.optValue<std::string>("title", "Checklist");
    return title + ": " + std::to_string(done) + "/" + std::to_string(total) + " done";
  }

 private:
  int max_items_ = 50;
};

}  // namespace

FIELDLINK_PLUGIN(ChecklistPlugin, "checklist", "1.0.0", MessageType)
