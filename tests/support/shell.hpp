#pragma once

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace fieldlink::testing {

// Runs a command to completion, its output kept in `work`; a failure of the test, with that
// output, when it does not exit 0. Call it inside ASSERT_NO_FATAL_FAILURE.
void runOrFail(const TempDir& work, const std::vector<std::string>& command);

// The same, returning the exit code and the output instead of failing.
int runCapturing(const TempDir& work, const std::vector<std::string>& command, std::string& output);

}  // namespace fieldlink::testing
