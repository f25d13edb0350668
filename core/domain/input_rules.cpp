#include "domain/input_rules.hpp"

#include <algorithm>
#include <cmath>

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include "auth/account_name.hpp"
#include "domain/errors.hpp"

namespace fieldlink::rules {
namespace {

bool isValidUtf8WithoutControls(const std::string& value) {
  Poco::UTF8Encoding utf8;
  Poco::TextIterator it(value, utf8);
  Poco::TextIterator end(value);
  for (; it != end; ++it) {
    const int cp = *it;
    if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) return false;
  }
  return true;
}

}  // namespace

void checkUsername(const std::string& username) {
  if (username.empty() || username.size() > 150)
    throw InvalidInput("username", "Between 1 and 150 characters.");
  if (!std::all_of(username.begin(), username.end(), isUsernameCharacter))
    throw InvalidInput("username", "Letters, digits and @ . + - _ only.");
}

void checkPassword(const std::string& password) {
  if (password.size() < 8) throw InvalidInput("password", "At least 8 characters.");
  if (password.size() > 1024) throw InvalidInput("password", "At most 1024 characters.");
}

void checkDisplayName(const std::string& display_name) {
  checkText("display_name", display_name, 1, 150);
}

void checkPhone(const std::string& phone) {
  if (phone.size() > 32) throw InvalidInput("phone", "At most 32 characters.");
  for (char c : phone) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != ' ' && c != '-' &&
        c != '(' && c != ')' && c != '.')
      throw InvalidInput("phone", "Digits, spaces and + - ( ) . only.");
  }
}

void checkText(const std::string& field, const std::string& value, std::size_t min_bytes,
               std::size_t max_bytes) {
  if (value.size() < min_bytes)
    throw InvalidInput(field, min_bytes == 1 ? "This field may not be blank." : "Too short.");
  if (value.size() > max_bytes)
    throw InvalidInput(field, "At most " + std::to_string(max_bytes) + " bytes.");
  if (!isValidUtf8WithoutControls(value))
    throw InvalidInput(field, "Must be valid UTF-8 without control characters.");
}

void checkLatitude(double latitude) {
  if (!std::isfinite(latitude) || latitude < -90 || latitude > 90)
    throw InvalidInput("latitude", "Must be a number between -90 and 90.");
}

void checkLongitude(double longitude) {
  if (!std::isfinite(longitude) || longitude < -180 || longitude > 180)
    throw InvalidInput("longitude", "Must be a number between -180 and 180.");
}

void checkClientId(const std::string& client_id) {
  if (client_id.empty() || client_id.size() > 64)
    throw InvalidInput("client_id", "Between 1 and 64 characters.");
  for (char c : client_id)
    if (c < 0x21 || c > 0x7E) throw InvalidInput("client_id", "Printable ASCII only.");
}

}  // namespace fieldlink::rules
