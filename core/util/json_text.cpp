#include "util/json_text.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

namespace fieldlink::json_text {
namespace {

void appendArray(std::string& out, const Poco::JSON::Array& array) {
  out += '[';
  bool first = true;
  for (const auto& item : array) {
    if (!first) out += ',';
    first = false;
    append(out, item);
  }
  out += ']';
}

void appendInteger(std::string& out, const Poco::Dynamic::Var& value) {
  char digits[24];
  const auto written =
      value.isSigned()
          ? std::to_chars(digits, digits + sizeof digits, value.convert<Poco::Int64>())
          : std::to_chars(digits, digits + sizeof digits, value.convert<Poco::UInt64>());
  out.append(digits, written.ptr);
}

void appendDouble(std::string& out, double number) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  char digits[32];
  const auto written = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, written.ptr);
}

}  // namespace

void appendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain_from, i - plain_from);
    plain_from = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text, plain_from, text.size() - plain_from);
  out += '"';
}

void append(std::string& out, const Poco::JSON::Object& object) {
  out += '{';
  bool first = true;
  // Poco's own order: by key, as Stringifier writes an object made without
  // preserveInsertionOrder (the core makes none with it).
  for (const auto& [key, value] : object) {
    if (!first) out += ',';
    first = false;
    appendString(out, key);
    out += ':';
    append(out, value);
  }
  out += '}';
}

void append(std::string& out, const Poco::Dynamic::Var& value) {
  const std::type_info& type = value.type();
  if (value.isEmpty()) {
    out += "null";
  } else if (type == typeid(Poco::JSON::Object::Ptr)) {
    const auto& object = value.extract<Poco::JSON::Object::Ptr>();
    if (object)
      append(out, *object);
    else
      out += "null";
  } else if (type == typeid(Poco::JSON::Array::Ptr)) {
    const auto& array = value.extract<Poco::JSON::Array::Ptr>();
    if (array)
      appendArray(out, *array);
    else
      out += "null";
  } else if (type == typeid(std::string)) {
    appendString(out, value.extract<std::string>());
  } else if (type == typeid(bool)) {
    out += value.extract<bool>() ? "true" : "false";
  } else if (value.isInteger()) {
    appendInteger(out, value);
  } else if (type == typeid(double)) {
    appendDouble(out, value.extract<double>());
  } else if (type == typeid(float)) {
    appendDouble(out, value.extract<float>());
  } else if (type == typeid(Poco::JSON::Object)) {
    append(out, value.extract<Poco::JSON::Object>());
  } else if (type == typeid(Poco::JSON::Array)) {
    appendArray(out, value.extract<Poco::JSON::Array>());
  } else {
    // Anything rarer (a DynamicStruct, a date) as Poco writes it.
    std::ostringstream text;
    Poco::JSON::Stringifier::stringify(value, text);
    out += text.str();
  }
}

std::string of(const Poco::Dynamic::Var& value) {
  std::string out;
  append(out, value);
  return out;
}

std::string of(const Poco::JSON::Object& object) {
  std::string out;
  append(out, object);
  return out;
}

}  // namespace fieldlink::json_text
