#pragma once

// What a plugin was built with besides the SDK's API version: the compiler and the C++
// standard library. Plugins exchange C++ types (std::string, std::shared_ptr, Poco objects)
// with the host, which is only safe when both sides agree on their layout, so the host
// refuses a plugin whose compiler or standard library differ from its own. The language
// level (__cplusplus) is recorded for the message but not compared: libstdc++ keeps its
// types' layout across -std levels.

#include <cstddef>  // defines the standard library's version macros

#define FIELDLINK_SDK_STRINGIFY_(x) #x
#define FIELDLINK_SDK_STRINGIFY(x) FIELDLINK_SDK_STRINGIFY_(x)

#if defined(__clang__)
#define FIELDLINK_SDK_COMPILER "clang " FIELDLINK_SDK_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define FIELDLINK_SDK_COMPILER "gcc " FIELDLINK_SDK_STRINGIFY(__GNUC__)
#else
#define FIELDLINK_SDK_COMPILER "unknown compiler"
#endif

#if defined(__GLIBCXX__)
#define FIELDLINK_SDK_STDLIB                                                          \
  "libstdc++ " FIELDLINK_SDK_STRINGIFY(__GLIBCXX__) " (abi " FIELDLINK_SDK_STRINGIFY( \
      _GLIBCXX_USE_CXX11_ABI) ")"
#elif defined(_LIBCPP_VERSION)
#define FIELDLINK_SDK_STDLIB "libc++ " FIELDLINK_SDK_STRINGIFY(_LIBCPP_VERSION)
#else
#define FIELDLINK_SDK_STDLIB "unknown standard library"
#endif

namespace fieldlink::sdk {

// Exported by every plugin as `fieldlink_plugin_build` (the FIELDLINK_PLUGIN macro does it).
struct BuildRecord {
  const char* compiler;  // "gcc 12"
  const char* stdlib;    // "libstdc++ 20230528 (abi 1)"
  long cplusplus;        // __cplusplus, e.g. 201703
};

// The record of whatever includes this header: the host's own, or the plugin's.
inline constexpr BuildRecord kThisBuild{FIELDLINK_SDK_COMPILER, FIELDLINK_SDK_STDLIB, __cplusplus};

}  // namespace fieldlink::sdk
