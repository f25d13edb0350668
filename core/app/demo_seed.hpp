#pragma once

#include <string>

#include "app/runtime.hpp"

namespace fieldlink {

// Creates the demo dispatcher, client and technician and one assigned request, unless they
// exist already, and returns the text that tells a person how to log in.
std::string seedDemo(Runtime& runtime, const std::string& base_url);

}  // namespace fieldlink
