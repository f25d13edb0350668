#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "coordinates.hpp"

namespace fieldlink::location {
namespace {

PositionResult read(const std::string& json) {
  return readPosition(*Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>());
}

TEST(Coordinates, AcceptsTheWholeRangeAndAnOptionalAccuracy) {
  for (const char* json :
       {R"({"latitude":90,"longitude":180})", R"({"latitude":-90,"longitude":-180,"accuracy":0})",
        R"({"latitude":48.8584,"longitude":2.2945,"accuracy":12.5})",
        R"({"latitude":0,"longitude":0,"accuracy":null})"}) {
    EXPECT_TRUE(read(json).position) << json;
  }
  const auto p = read(R"({"latitude":48.8584,"longitude":2.2945,"accuracy":12.5})");
  EXPECT_DOUBLE_EQ(p.position->latitude, 48.8584);
  EXPECT_DOUBLE_EQ(*p.position->accuracy, 12.5);
}

TEST(Coordinates, NamesTheFieldAtFault) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"longitude":1})", "latitude"},
      {R"({"latitude":"48.8","longitude":1})", "latitude"},
      {R"({"latitude":true,"longitude":1})", "latitude"},
      {R"({"latitude":90.0001,"longitude":1})", "latitude"},
      {R"({"latitude":1,"longitude":-180.5})", "longitude"},
      {R"({"latitude":1,"longitude":[1]})", "longitude"},
      {R"({"latitude":1,"longitude":1,"accuracy":-1})", "accuracy"},
      {R"({"latitude":1,"longitude":1,"accuracy":"5"})", "accuracy"},
  };
  for (const auto& [json, field] : cases) {
    const auto result = read(json);
    EXPECT_FALSE(result.position) << json;
    EXPECT_EQ(result.field, field) << json;
  }
}

TEST(Coordinates, MapLinkFillsThePattern) {
  EXPECT_EQ(mapLink("https://maps.example/?q={lat},{lon}", {48.8584, 2.2945, std::nullopt}),
            "https://maps.example/?q=48.858400,2.294500");
}

}  // namespace
}  // namespace fieldlink::location
