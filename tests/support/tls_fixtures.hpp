#pragma once

#include <string>

#include <Poco/Net/Context.h>

#include "support/temp_dir.hpp"

namespace fieldlink::testing {

struct TestCertificate {
  std::string certificate_file;
  std::string key_file;
};

// A self-signed certificate for localhost and 127.0.0.1 (P-256), made by the openssl command
// in `dir`. `name` tells apart the files of several certificates.
TestCertificate makeTestCertificate(const TempDir& dir, const std::string& name = "server");

// A client context that trusts this certificate only, and checks the server's name against it.
Poco::Net::Context::Ptr clientContextTrusting(const std::string& certificate_file);

}  // namespace fieldlink::testing
