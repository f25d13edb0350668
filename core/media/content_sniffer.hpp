#pragma once

#include <mutex>
#include <string>

struct magic_set;

namespace fieldlink::media {

// Names a file's type from its bytes with libmagic, never from its name. A few of libmagic's
// legacy names are mapped to the registered ones (audio/x-wav -> audio/wav).
class ContentSniffer {
 public:
  ContentSniffer();  // throws std::runtime_error when libmagic's database cannot be loaded
  ~ContentSniffer();
  ContentSniffer(const ContentSniffer&) = delete;
  ContentSniffer& operator=(const ContentSniffer&) = delete;

  std::string contentType(const std::string& path) const;

 private:
  magic_set* magic_;
  mutable std::mutex mutex_;  // a libmagic handle is not safe for concurrent use
};

}  // namespace fieldlink::media
