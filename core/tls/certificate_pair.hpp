#pragma once

#include <memory>
#include <string>

#include <openssl/ssl.h>

namespace fieldlink::tls {

// A certificate, the chain behind it and its private key, read from PEM files. Immutable once
// loaded, so a handshake can use it while a reload makes the next one.
class CertificatePair {
 public:
  // Throws Poco::InvalidArgumentException naming the file at fault: unreadable, not PEM, an
  // encrypted key, or a key that does not belong to the certificate.
  static std::shared_ptr<const CertificatePair> load(const std::string& certificate_file,
                                                     const std::string& key_file);
  ~CertificatePair();
  CertificatePair(const CertificatePair&) = delete;
  CertificatePair& operator=(const CertificatePair&) = delete;

  // Presents this certificate on one connection (called during its handshake).
  bool applyTo(SSL* ssl) const;
  void applyTo(SSL_CTX* context) const;

  // For the log: the subject and the end of validity, as OpenSSL prints them.
  std::string description() const;

 private:
  CertificatePair() = default;

  X509* certificate_ = nullptr;
  STACK_OF(X509) * chain_ = nullptr;
  EVP_PKEY* key_ = nullptr;
};

}  // namespace fieldlink::tls
