#pragma once

#include <string>

namespace fieldlink {

// The malloc this process runs on, for the startup log: "jemalloc <version>" when fieldlinkd
// was linked with it (FIELDLINK_JEMALLOC), else the C library's. Asked at run time, so it
// tells what the binary really uses, not what the build meant to link.
std::string allocatorDescription();

}  // namespace fieldlink
