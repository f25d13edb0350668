#include "tls/certificate_pair.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include <Poco/Exception.h>

#include "support/shell.hpp"
#include "support/tls_fixtures.hpp"

namespace fieldlink::tls {
namespace {

using testing::makeTestCertificate;
using testing::TempDir;

std::string loadError(const std::string& certificate, const std::string& key) {
  try {
    CertificatePair::load(certificate, key);
  } catch (const Poco::InvalidArgumentException& e) {
    return e.message();
  }
  return "";
}

TEST(CertificatePair, LoadsAMatchingPairAndDescribesIt) {
  TempDir dir;
  const auto made = makeTestCertificate(dir, "fieldlink-test");
  const auto pair = CertificatePair::load(made.certificate_file, made.key_file);
  EXPECT_NE(pair->description().find("CN = fieldlink-test, valid until "), std::string::npos)
      << pair->description();
}

TEST(CertificatePair, ReadsTheChainBehindTheCertificate) {
  TempDir dir;
  const auto leaf = makeTestCertificate(dir, "leaf");
  const auto intermediate = makeTestCertificate(dir, "intermediate");
  const std::string bundle = dir.file("bundle.pem");
  {
    std::ofstream out(bundle);
    out << std::ifstream(leaf.certificate_file).rdbuf()
        << std::ifstream(intermediate.certificate_file).rdbuf();
  }
  const auto pair = CertificatePair::load(bundle, leaf.key_file);
  EXPECT_NE(pair->description().find("CN = leaf"), std::string::npos);
  // The key goes with the first certificate, not with what follows it.
  EXPECT_NE(loadError(bundle, intermediate.key_file).find("is not the key"), std::string::npos);
}

TEST(CertificatePair, RefusalsNameTheFileAndTheReason) {
  TempDir dir;
  const auto one = makeTestCertificate(dir, "one");
  const auto two = makeTestCertificate(dir, "two");
  EXPECT_NE(loadError(one.certificate_file, two.key_file).find("is not the key of the certificate"),
            std::string::npos);
  EXPECT_NE(loadError(dir.file("absent.pem"), one.key_file).find("tls.certificate: cannot read"),
            std::string::npos);
  { std::ofstream(dir.file("garbage.pem")) << "-----BEGIN CERTIFICATE-----\nnope\n"; }
  EXPECT_NE(loadError(dir.file("garbage.pem"), one.key_file).find("no certificate in"),
            std::string::npos);
  EXPECT_NE(
      loadError(one.certificate_file, one.certificate_file).find("no unencrypted private key"),
      std::string::npos);
  // An encrypted key is refused, never a passphrase prompt on the server's terminal.
  const std::string encrypted = dir.file("encrypted-key.pem");
  ASSERT_NO_FATAL_FAILURE(
      testing::runOrFail(dir, {"openssl", "pkey", "-in", one.key_file, "-aes256", "-passout",
                               "pass:secret", "-out", encrypted}));
  EXPECT_NE(loadError(one.certificate_file, encrypted).find("without a passphrase"),
            std::string::npos);
}

}  // namespace
}  // namespace fieldlink::tls
