// The [tls] files as an OpenSSL server context, and what a failed handshake says.
#pragma once

#include "syncd/server.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <memory>

namespace chiso::syncd {

// TLS 1.2 (AEAD suites) or later; nullptr for plain HTTP (neither file set). Throws std::runtime_error naming the
// file for one that cannot be read, holds no PEM certificate or key, or a key that does not belong to the
// certificate.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const ServerOptions& options);

// OpenSSL's reason for a failed handshake, e.g. SSL_R_HTTP_REQUEST for plain HTTP sent to the HTTPS port.
bool is_tls_reason(const boost::system::error_code& ec, int reason);

}  // namespace chiso::syncd
