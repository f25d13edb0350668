// The built checklist.so, loaded as the server loads it, driven through the SDK's fake host.
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/testkit/fake_host.hpp>

#include <Poco/JSON/Parser.h>

namespace {

using namespace fieldlink;

class Checklist : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& manifest = library.get_alias<const sdk::PluginManifest>("fieldlink_plugin");
    ASSERT_EQ(manifest.api_version, sdk::kApiVersion);
    ASSERT_STREQ(manifest.name, "checklist");
    plugin = manifest.create();
  }
  void TearDown() override { plugin.reset(); }

  sdk::ValidationResult validate(const std::string& json) {
    const auto content = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    return plugin->message_type()->validate(*content, {1, 2, {}});
  }

  boost::dll::shared_library library{CHECKLIST_SO};  // outlives the plugin
  std::shared_ptr<sdk::Plugin> plugin;
  sdk::testkit::FakeHost host;
};

TEST_F(Checklist, NormalisesItemsAndSummarises) {
  ASSERT_EQ(plugin->start(host).error, "");
  const auto r = validate(
      R"({"title":" Boiler service ","items":[{"text":" Bleed radiators","done":true},{"text":"Check pressure"}],"extra":1})");
  ASSERT_TRUE(r.ok()) << r.reason();
  EXPECT_EQ(r.content()->getValue<std::string>("title"), "Boiler service");
  EXPECT_FALSE(r.content()->has("extra"));
  const auto items = r.content()->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("text"), "Bleed radiators");
  EXPECT_FALSE(items->getObject(1)->getValue<bool>("done"));
  EXPECT_EQ(plugin->message_type()->summary(*r.content()), "Boiler service: 1/2 done");
}

TEST_F(Checklist, RefusesWhatIsNotAChecklist) {
  host.set("max_items", "2");
  ASSERT_EQ(plugin->start(host).error, "");
  EXPECT_EQ(validate(R"({})").field(), "items");
  EXPECT_EQ(validate(R"({"items":[]})").field(), "items");
  EXPECT_EQ(validate(R"({"items":[{"text":"a"},{"text":"b"},{"text":"c"}]})").field(), "items");
  EXPECT_EQ(validate(R"({"items":["a"]})").field(), "items.0");
  EXPECT_EQ(validate(R"({"items":[{"text":"a"},{"text":"  "}]})").field(), "items.1.text");
  EXPECT_EQ(validate(R"({"items":[{"text":"a","done":"yes"}]})").field(), "items.0.done");
  EXPECT_EQ(validate(R"({"title":7,"items":[{"text":"a"}]})").field(), "title");
}

TEST_F(Checklist, RefusesABadConfiguration) {
  host.set("max_items", "0");
  EXPECT_NE(plugin->start(host).error.find("plugins.checklist.max_items"), std::string::npos);
}

}  // namespace
