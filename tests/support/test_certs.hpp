// Certificates made in a test, with OpenSSL's C API: a certificate authority and server certificates it signs,
// valid for a window of the test's choosing (an expired one, say). Keys are EC P-256; everything is PEM text.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace chiso::test {

struct TestCertificate {
    std::string certificate_pem;
    std::string key_pem;  // not encrypted
};

// A self-signed CA (basicConstraints CA:TRUE, keyCertSign), valid from a day ago for a year.
TestCertificate make_test_ca(const std::string& common_name);

struct ServerCertificateRequest {
    std::string common_name = "chiso-syncd";
    std::vector<std::string> alt_names = {"DNS:localhost", "IP:127.0.0.1"};  // subjectAltName entries
    std::chrono::seconds valid_from{-86400};                                 // from now; negative: in the past
    std::chrono::seconds valid_until{365 * 86400};
};

// A server certificate (serverAuth) for the request's names, signed by `ca`.
TestCertificate make_server_certificate(const TestCertificate& ca, const ServerCertificateRequest& request = {});

// Writes text to a file, creating its folder; throws std::runtime_error when it cannot.
void write_text_file(const std::filesystem::path& file, const std::string& text);

}  // namespace chiso::test
