// Request bodies as the endpoints read them: any bytes through Poco's JSON parser, then the
// typed field readers. Only the core's own ApiError may come out of a reader, never another
// exception, and a value that is read must have the type that was asked for.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "domain/errors.hpp"
#include "http/json_input.hpp"

using namespace fieldlink;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Poco::JSON::Object::Ptr body;
  try {
    Poco::Dynamic::Var parsed =
        Poco::JSON::Parser().parse(std::string(reinterpret_cast<const char*>(data), size));
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return 0;
    body = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return 0;  // the endpoints answer 400 to what does not parse
  }
  for (const char* field : {"text", "conversation_id", "latitude", "content", "client_id"}) {
    try {
      json_input::requiredString(*body, field);
    } catch (const ApiError&) {
    }
    try {
      json_input::optionalString(*body, field);
    } catch (const ApiError&) {
    }
    try {
      if (json_input::requiredId(*body, field) <= 0) std::abort();
    } catch (const ApiError&) {
    }
    try {
      json_input::optionalNumber(*body, field);
    } catch (const ApiError&) {
    }
    try {
      if (json_input::requiredObject(*body, field).isNull()) std::abort();
    } catch (const ApiError&) {
    }
  }
  return 0;
}
