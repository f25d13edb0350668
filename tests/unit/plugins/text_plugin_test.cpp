// The real text.so, loaded as the server loads it, driven through the SDK's fake host.
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <fieldlink/sdk/plugin.hpp>
#include <fieldlink/sdk/testkit/fake_host.hpp>

#include "text_normaliser.hpp"

namespace {

using fieldlink::sdk::testkit::FakeHost;

class TextPluginTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void start() {
    library = boost::dll::shared_library(std::string(FIELDLINK_PLUGIN_DIR) + "/text.so");
    const auto& manifest =
        library.get_alias<const fieldlink::sdk::PluginManifest>("fieldlink_plugin");
    ASSERT_EQ(manifest.api_version, fieldlink::sdk::kApiVersion);
    ASSERT_STREQ(manifest.name, "text");
    plugin = manifest.create();
    start_error = plugin->start(host).error;
    type = plugin->message_type();
  }
  fieldlink::sdk::ValidationResult validate(const Poco::Dynamic::Var& text) {
    Poco::JSON::Object content;
    content.set("text", text);
    return type->validate(content, {1, 1, {}});
  }
  void TearDown() override { plugin.reset(); }

  FakeHost host;
  boost::dll::shared_library library;  // declared before plugin: destroyed after it
  std::shared_ptr<fieldlink::sdk::Plugin> plugin;
  fieldlink::sdk::MessageTypePlugin* type = nullptr;
  std::string start_error;
};

TEST_F(TextPluginTest, AcceptsAndTrimsText) {
  const auto r = validate(std::string("  On my way  "));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.content()->getValue<std::string>("text"), "On my way");
}

TEST_F(TextPluginTest, KeepsNewlinesDropsOtherControlCharacters) {
  const auto r = validate(std::string("line1\r\nline2\x07\x1b[31m\tend"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.content()->getValue<std::string>("text"), "line1\nline2[31m\tend");
}

TEST_F(TextPluginTest, RejectsBlankMissingAndWrongType) {
  EXPECT_EQ(validate(std::string(" \n\t ")).field(), "text");
  EXPECT_FALSE(validate(42).ok());
  EXPECT_FALSE(validate(true).ok());
  Poco::JSON::Object empty;
  EXPECT_FALSE(type->validate(empty, {1, 1, {}}).ok());
}

TEST_F(TextPluginTest, RejectsInvalidUtf8) {
  for (const std::string bad : {"\xff", "abc\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"})
    EXPECT_FALSE(validate(bad).ok()) << "accepted " << ::testing::PrintToString(bad);
}

TEST_F(TextPluginTest, EnforcesConfiguredMaximumInCharactersNotBytes) {
  host.set("max_length", "5");
  plugin.reset();
  start();
  ASSERT_EQ(start_error, "");
  EXPECT_TRUE(validate(std::string("ééééé")).ok());  // 5 characters, 10 bytes
  EXPECT_FALSE(validate(std::string("abcdef")).ok());
}

TEST_F(TextPluginTest, RefusesABadMaximumAtStart) {
  host.set("max_length", "0");
  plugin.reset();
  start();
  EXPECT_NE(start_error.find("max_length"), std::string::npos);
}

TEST_F(TextPluginTest, SummaryIsShortened) {
  Poco::JSON::Object content;
  content.set("text", std::string(200, 'a'));
  const std::string summary = type->summary(content);
  EXPECT_EQ(summary, std::string(80, 'a') + "\u2026");
}

TEST(TextNormaliser, CountsCodePoints) {
  const auto n = fieldlink::text::normaliseText("\xe2\x9c\x93 ok");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->code_points, 4u);
}

}  // namespace
