#include "support/tls_fixtures.hpp"

#include <stdexcept>

#include "support/shell.hpp"

namespace fieldlink::testing {

TestCertificate makeTestCertificate(const TempDir& dir, const std::string& name) {
  TestCertificate made{dir.file(name + "-cert.pem"), dir.file(name + "-key.pem")};
  std::string output;
  const int code =
      runCapturing(dir,
                   {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                    made.key_file, "-out", made.certificate_file},
                   output);
  if (code != 0) throw std::runtime_error("openssl req failed:\n" + output);
  return made;
}

Poco::Net::Context::Ptr clientContextTrusting(const std::string& certificate_file) {
  Poco::Net::Context::Params params;
  params.caLocation = certificate_file;
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = false;
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

}  // namespace fieldlink::testing
