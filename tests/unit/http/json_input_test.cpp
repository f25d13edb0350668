#include "http/json_input.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "domain/errors.hpp"

namespace fieldlink {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string failingField(const std::function<void()>& read) {
  try {
    read();
  } catch (const InvalidInput& e) {
    return e.fields().begin()->first;
  }
  return "";
}

TEST(JsonInput, ReadsTypedFields) {
  const auto body = parse(R"({"s":"x","id":7,"n":1.5,"o":{"a":1}})");
  EXPECT_EQ(json_input::requiredString(*body, "s"), "x");
  EXPECT_EQ(json_input::requiredId(*body, "id"), 7);
  EXPECT_DOUBLE_EQ(*json_input::optionalNumber(*body, "n"), 1.5);
  EXPECT_TRUE(json_input::requiredObject(*body, "o")->has("a"));
  EXPECT_FALSE(json_input::optionalString(*body, "missing"));
}

TEST(JsonInput, DoesNotCoerceTypes) {
  const auto body = parse(R"({"s":5,"id":"7","b":true,"n":"1.5","neg":-3,"f":2.5,"arr":[]})");
  EXPECT_EQ(failingField([&] { json_input::requiredString(*body, "s"); }), "s");
  EXPECT_EQ(failingField([&] { json_input::requiredId(*body, "id"); }), "id");
  EXPECT_EQ(failingField([&] { json_input::requiredId(*body, "b"); }), "b");
  EXPECT_EQ(failingField([&] { json_input::optionalNumber(*body, "n"); }), "n");
  EXPECT_EQ(failingField([&] { json_input::optionalNumber(*body, "b"); }), "b");
  EXPECT_EQ(failingField([&] { json_input::requiredId(*body, "neg"); }), "neg");
  EXPECT_EQ(failingField([&] { json_input::requiredId(*body, "f"); }), "f");
  EXPECT_EQ(failingField([&] { json_input::requiredObject(*body, "arr"); }), "arr");
}

TEST(JsonInput, IntegersWithAFloorAndBooleans) {
  const auto body = parse(R"({"zero":0,"neg":-1,"t":true,"one":1,"s":"true"})");
  EXPECT_EQ(json_input::requiredInteger(*body, "zero", 0), 0);
  EXPECT_EQ(failingField([&] { json_input::requiredInteger(*body, "neg", 0); }), "neg");
  EXPECT_EQ(failingField([&] { json_input::requiredInteger(*body, "t", 0); }), "t");
  EXPECT_TRUE(json_input::requiredBool(*body, "t"));
  EXPECT_EQ(failingField([&] { json_input::requiredBool(*body, "one"); }), "one");
  EXPECT_EQ(failingField([&] { json_input::optionalBool(*body, "s"); }), "s");
  EXPECT_FALSE(json_input::optionalBool(*body, "missing"));
  EXPECT_EQ(failingField([&] { json_input::requiredBool(*body, "missing"); }), "missing");
}

TEST(JsonInput, NullCountsAsMissing) {
  const auto body = parse(R"({"s":null})");
  EXPECT_EQ(failingField([&] { json_input::requiredString(*body, "s"); }), "s");
  EXPECT_FALSE(json_input::optionalString(*body, "s"));
}

}  // namespace
}  // namespace fieldlink
