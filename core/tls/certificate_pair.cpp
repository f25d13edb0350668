#include "tls/certificate_pair.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <Poco/Exception.h>

namespace fieldlink::tls {
namespace {

struct BioCloser {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioCloser>;

BioPtr openFile(const std::string& path, const char* what) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    throw Poco::InvalidArgumentException(std::string(what) + ": cannot read " + path);
  }
  return bio;
}

// Refuses to ask for a passphrase: OpenSSL would otherwise prompt on the terminal of a server.
int noPassphrase(char*, int, int, void*) { return 0; }

std::string openSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "not PEM";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

std::shared_ptr<const CertificatePair> CertificatePair::load(const std::string& certificate_file,
                                                             const std::string& key_file) {
  std::shared_ptr<CertificatePair> pair(new CertificatePair);
  {
    BioPtr bio = openFile(certificate_file, "tls.certificate");
    pair->certificate_ = PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr);
    if (!pair->certificate_)
      throw Poco::InvalidArgumentException("tls.certificate: no certificate in " +
                                           certificate_file + " (" + openSslError() + ")");
    // Whatever follows the server's own certificate is its chain, leaf to root.
    pair->chain_ = sk_X509_new_null();
    while (X509* intermediate = PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr))
      sk_X509_push(pair->chain_, intermediate);
    ERR_clear_error();  // the read that ended the loop
  }
  {
    BioPtr bio = openFile(key_file, "tls.private_key");
    pair->key_ = PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr);
    if (!pair->key_)
      throw Poco::InvalidArgumentException(
          "tls.private_key: no unencrypted private key in " + key_file + " (" + openSslError() +
          "); fieldlinkd reads keys without a passphrase, protect the file by its permissions");
  }
  if (X509_check_private_key(pair->certificate_, pair->key_) != 1) {
    ERR_clear_error();
    throw Poco::InvalidArgumentException("tls.private_key: " + key_file +
                                         " is not the key of the certificate in " +
                                         certificate_file);
  }
  return pair;
}

CertificatePair::~CertificatePair() {
  X509_free(certificate_);
  sk_X509_pop_free(chain_, X509_free);
  EVP_PKEY_free(key_);
}

bool CertificatePair::applyTo(SSL* ssl) const {
  return SSL_use_cert_and_key(ssl, certificate_, key_, chain_, /*override=*/1) == 1;
}

void CertificatePair::applyTo(SSL_CTX* context) const {
  if (SSL_CTX_use_cert_and_key(context, certificate_, key_, chain_, /*override=*/1) != 1)
    throw Poco::InvalidArgumentException("tls: OpenSSL refused the certificate (" + openSslError() +
                                         ")");
}

std::string CertificatePair::description() const {
  BioPtr out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), X509_get_subject_name(certificate_), 0, XN_FLAG_ONELINE);
  BIO_puts(out.get(), ", valid until ");
  ASN1_TIME_print(out.get(), X509_get0_notAfter(certificate_));
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace fieldlink::tls
