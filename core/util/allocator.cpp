#include "util/allocator.hpp"

#include <dlfcn.h>
#include <gnu/libc-version.h>

#include <cstddef>

namespace fieldlink {

std::string allocatorDescription() {
  // jemalloc's control interface; looked up rather than linked, so the core builds without it.
  using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  if (const auto mallctl = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"))) {
    const char* version = nullptr;
    std::size_t size = sizeof(version);
    if (mallctl("version", &version, &size, nullptr, 0) == 0 && version)
      return std::string("jemalloc ") + version;
    return "jemalloc";
  }
  return std::string("glibc malloc ") + gnu_get_libc_version();
}

}  // namespace fieldlink
