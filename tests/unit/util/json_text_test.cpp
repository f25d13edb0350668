#include "util/json_text.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

namespace fieldlink {
namespace {

std::string pocoText(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

TEST(JsonText, StringsAreEscapedAsJsonAsks) {
  std::string out;
  json_text::appendString(out, std::string("a\"b\\c\n\r\t\b\f\x01\x1f/é"));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/é\"");
  // What comes out reads back as what went in.
  const auto back = Poco::JSON::Parser().parse("[" + out + "]").extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(back->getElement<std::string>(0), std::string("a\"b\\c\n\r\t\b\f\x01\x1f/é"));
}

TEST(JsonText, NumbersKeepTheirValue) {
  Poco::JSON::Array array;
  array.add(static_cast<Poco::Int64>(std::numeric_limits<Poco::Int64>::min()));
  array.add(std::numeric_limits<Poco::UInt64>::max());
  array.add(static_cast<int>(-7));
  array.add(48.8566);
  array.add(0.1);
  array.add(-2.5e-7);
  array.add(std::nan(""));
  array.add(std::numeric_limits<double>::infinity());
  EXPECT_EQ(json_text::of(Poco::Dynamic::Var(array)),
            "[-9223372036854775808,18446744073709551615,-7,48.8566,0.1,-2.5e-07,null,null]");
}

TEST(JsonText, WritesWhatPocoWritesForTheCoresValues) {
  // Objects come out in Poco's key order, nested values included, so a document reads the
  // same whichever writer made it.
  const std::string source =
      R"({"z":1,"a":{"nested":[true,false,null,"x",{"k":"v"}],"b":-3},"m":"text","e":{}, "l":[]})";
  const auto parsed = Poco::JSON::Parser().parse(source);
  EXPECT_EQ(json_text::of(parsed), pocoText(parsed));
  Poco::JSON::Object object;
  object.set("id", static_cast<Poco::Int64>(12));
  object.set("flag", true);
  object.set("none", Poco::Dynamic::Var());
  object.set("name", std::string("Thomas"));
  Poco::JSON::Object::Ptr empty;
  object.set("missing", empty);
  EXPECT_EQ(json_text::of(object),
            R"({"flag":true,"id":12,"missing":null,"name":"Thomas","none":null})");
}

}  // namespace
}  // namespace fieldlink
