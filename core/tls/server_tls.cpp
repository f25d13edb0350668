#include "tls/server_tls.hpp"

namespace fieldlink::tls {
namespace {

// TLS 1.2 suites: ECDHE key exchange and AEAD only (Mozilla's "intermediate" list). TLS 1.3
// suites are all AEAD and stay at OpenSSL's defaults.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

std::string strictTransportSecurity(const TlsSettings& settings) {
  if (!settings.enabled() || settings.hsts_max_age <= 0) return "";
  return "max-age=" + std::to_string(settings.hsts_max_age);
}

ServerTls::ServerTls(const TlsSettings& settings)
    : settings_(settings),
      certificate_(CertificatePair::load(settings.certificate_file, settings.key_file)) {
  Poco::Net::Context::Params params;
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients log in with tokens
  params.loadDefaultCAs = false;
  params.cipherList = kTls12Ciphers;
  context_ = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context_->requireMinimumProtocol(settings.tls13_only ? Poco::Net::Context::PROTO_TLSV1_3
                                                       : Poco::Net::Context::PROTO_TLSV1_2);
  context_->preferServerCiphers();
  SSL_CTX* ctx = context_->sslContext();
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  certificate_->applyTo(ctx);
  SSL_CTX_set_cert_cb(ctx, &ServerTls::onCertificateNeeded, this);
}

int ServerTls::onCertificateNeeded(SSL* ssl, void* self) {
  const auto pair = static_cast<ServerTls*>(self)->current();
  return pair->applyTo(ssl) ? 1 : 0;
}

std::shared_ptr<const CertificatePair> ServerTls::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return certificate_;
}

void ServerTls::reloadCertificate() {
  auto fresh = CertificatePair::load(settings_.certificate_file, settings_.key_file);
  std::lock_guard<std::mutex> lock(mutex_);
  certificate_ = std::move(fresh);
}

std::string ServerTls::certificateDescription() const { return current()->description(); }

}  // namespace fieldlink::tls
