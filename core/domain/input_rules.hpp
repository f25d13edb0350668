#pragma once

#include <string>

namespace fieldlink::rules {

// Checks for user-supplied account and request fields. Each throws InvalidInput naming the
// field.
void checkUsername(const std::string& username);
void checkPassword(const std::string& password);
void checkDisplayName(const std::string& display_name);
void checkPhone(const std::string& phone);
// A free-text field: valid UTF-8, no control characters but newlines and tabs, bounded.
void checkText(const std::string& field, const std::string& value, std::size_t min_bytes,
               std::size_t max_bytes);
void checkLatitude(double latitude);
void checkLongitude(double longitude);
// A client-chosen idempotency key: 1 to 64 printable ASCII characters.
void checkClientId(const std::string& client_id);

}  // namespace fieldlink::rules
