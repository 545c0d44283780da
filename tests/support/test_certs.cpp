// Test certificates with OpenSSL's C API (see test_certs.hpp): no openssl binary, nothing from outside the test.
#include "support/test_certs.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace chiso::test {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* step) {
    if (!ok) throw std::runtime_error(std::string("making a test certificate: ") + step + " failed");
}

Key new_key() {
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");
    return key;
}

Bio memory_bio(const std::string& text = {}) {
    Bio bio(text.empty() ? BIO_new(BIO_s_mem()) : BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    check(bio != nullptr, "BIO_new");
    return bio;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string pem_of(X509* certificate) {
    Bio bio = memory_bio();
    check(PEM_write_bio_X509(bio.get(), certificate) == 1, "PEM_write_bio_X509");
    return bio_text(bio.get());
}

std::string pem_of(EVP_PKEY* key) {
    Bio bio = memory_bio();
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    return bio_text(bio.get());
}

Certificate read_certificate(const std::string& pem) {
    Bio bio = memory_bio(pem);
    Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    check(certificate != nullptr, "PEM_read_bio_X509");
    return certificate;
}

Key read_key(const std::string& pem) {
    Bio bio = memory_bio(pem);
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "PEM_read_bio_PrivateKey");
    return key;
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    check(extension != nullptr, "X509V3_EXT_conf_nid");
    const int added = X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
    check(added == 1, "X509_add_ext");
}

// A certificate for `key` named `common_name`; issuer and extensions are the caller's.
Certificate new_certificate(EVP_PKEY* key, const std::string& common_name, std::chrono::seconds from,
                            std::chrono::seconds until) {
    static std::atomic<long> serial{1};
    Certificate certificate(X509_new());
    check(certificate != nullptr, "X509_new");
    X509_set_version(certificate.get(), 2);  // v3
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), from.count());
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), until.count());
    check(X509_set_pubkey(certificate.get(), key) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("chiso test"), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    return certificate;
}

}  // namespace

TestCertificate make_test_ca(const std::string& common_name) {
    Key key = new_key();
    Certificate ca =
        new_certificate(key.get(), common_name, std::chrono::seconds{-86400}, std::chrono::seconds{365 * 86400});
    X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
    add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(ca.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
    return {pem_of(ca.get()), pem_of(key.get())};
}

TestCertificate make_server_certificate(const TestCertificate& ca, const ServerCertificateRequest& request) {
    Certificate issuer = read_certificate(ca.certificate_pem);
    Key issuer_key = read_key(ca.key_pem);
    Key key = new_key();
    Certificate certificate = new_certificate(key.get(), request.common_name, request.valid_from, request.valid_until);
    X509_set_issuer_name(certificate.get(), X509_get_subject_name(issuer.get()));
    add_extension(certificate.get(), issuer.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(certificate.get(), issuer.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(certificate.get(), issuer.get(), NID_ext_key_usage, "serverAuth");
    add_extension(certificate.get(), issuer.get(), NID_authority_key_identifier, "keyid:always");
    std::string names;
    for (const std::string& name : request.alt_names) names += (names.empty() ? "" : ",") + name;
    if (!names.empty()) add_extension(certificate.get(), issuer.get(), NID_subject_alt_name, names);
    check(X509_sign(certificate.get(), issuer_key.get(), EVP_sha256()) > 0, "X509_sign");
    return {pem_of(certificate.get()), pem_of(key.get())};
}

void write_text_file(const std::filesystem::path& file, const std::string& text) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace chiso::test
