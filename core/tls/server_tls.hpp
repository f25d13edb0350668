#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <Poco/Net/Context.h>

#include "tls/certificate_pair.hpp"

namespace fieldlink::tls {

struct TlsSettings {
  std::string certificate_file;  // PEM: the certificate, then its chain
  std::string key_file;          // PEM, unencrypted
  bool tls13_only = false;       // otherwise TLS 1.2 and 1.3
  int hsts_max_age = 31536000;   // seconds; 0: no Strict-Transport-Security header

  bool enabled() const { return !certificate_file.empty(); }
};

// The Strict-Transport-Security value the API sends; empty without TLS or with max-age 0.
std::string strictTransportSecurity(const TlsSettings& settings);

// The server side of TLS: the Poco context the HTTPS listener accepts with, restricted to
// TLS 1.2+ and forward-secret AEAD ciphers, and the certificate it presents, which
// reloadCertificate() replaces for the handshakes that follow without dropping connections.
class ServerTls {
 public:
  // Throws Poco::InvalidArgumentException if the files are unusable.
  explicit ServerTls(const TlsSettings& settings);
  ServerTls(const ServerTls&) = delete;
  ServerTls& operator=(const ServerTls&) = delete;

  Poco::Net::Context::Ptr context() const { return context_; }

  // Reads the files again. If they are unusable, throws and the current certificate stays.
  void reloadCertificate();
  std::string certificateDescription() const;

 private:
  static int onCertificateNeeded(SSL* ssl, void* self);
  std::shared_ptr<const CertificatePair> current() const;

  TlsSettings settings_;
  Poco::Net::Context::Ptr context_;
  mutable std::mutex mutex_;
  std::shared_ptr<const CertificatePair> certificate_;
};

}  // namespace fieldlink::tls
