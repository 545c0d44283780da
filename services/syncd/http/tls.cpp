#include "syncd/http/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/ssl/error.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

namespace chiso::syncd {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

std::unique_ptr<asio::ssl::context> make_tls_context(const ServerOptions& options) {
    const auto& certificate = options.tls_certificate;
    const auto& key = options.tls_private_key;
    if (certificate.empty() && key.empty()) return nullptr;
    if (certificate.empty() || key.empty()) throw std::runtime_error("TLS needs both a certificate and a private key");
    for (const auto* file : {&certificate, &key})
        if (std::ifstream probe(*file); !probe)
            throw std::runtime_error("cannot read the TLS file " + file->string() + ": " + std::strerror(errno));
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward-secret AEAD suites only, no CBC and no SHA-1 MAC. TLS 1.3's suites are all of that kind.
    if (SSL_CTX_set_cipher_list(context->native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20") != 1)
        throw std::runtime_error("OpenSSL offers none of the TLS 1.2 cipher suites chiso-syncd uses");
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression);
    // OpenSSL would ask for the pass phrase of an encrypted key on the terminal; a service cannot answer.
    context->set_password_callback([](std::size_t, asio::ssl::context::password_purpose) { return std::string(); });
    const auto mismatch = [&] {
        return std::runtime_error("the TLS private key " + key.string() + " does not belong to the certificate " +
                                  certificate.string());
    };
    error_code ec;
    if (context->use_certificate_chain_file(certificate.string(), ec); ec)
        throw std::runtime_error("the TLS certificate file " + certificate.string() +
                                 " holds no usable PEM certificate: " + ec.message());
    if (context->use_private_key_file(key.string(), asio::ssl::context::pem, ec); ec) {
        if (ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) throw mismatch();
        throw std::runtime_error("the TLS private key file " + key.string() +
                                 " holds no usable PEM private key (or it is encrypted): " + ec.message());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) throw mismatch();
    return context;
}

bool is_tls_reason(const error_code& ec, int reason) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == reason;
}

}  // namespace chiso::syncd
