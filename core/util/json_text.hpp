#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace fieldlink::json_text {

// JSON text for Poco's JSON values, written straight into a string. Poco's Stringifier goes
// through an ostream a few bytes at a time, which cost a fifth of a history page's CPU. The
// same document comes out: objects in Poco's key order, numbers as JSON numbers (doubles in
// their shortest exact form), strings escaped as RFC 8259 asks, and values JSON cannot
// express (NaN, infinities) as null.
void append(std::string& out, const Poco::Dynamic::Var& value);
void append(std::string& out, const Poco::JSON::Object& object);
void appendString(std::string& out, std::string_view text);

std::string of(const Poco::Dynamic::Var& value);
std::string of(const Poco::JSON::Object& object);

}  // namespace fieldlink::json_text
