#include "core/tls_context.hpp"

#include "ahttp/log.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace ahttp::core {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty())
            out += '\n';
        out += buf;
    }
    return out;
}

std::string sha1_hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha1(), nullptr);
    std::string hex;
    static const char* digits = "0123456789abcdef";
    for (unsigned i = 0; i < len; ++i) {
        hex += digits[md[i] >> 4];
        hex += digits[md[i] & 15];
    }
    return hex;
}

// "x_rsa.pem" -> "x_ecc.pem" / "x_dsa.pem"; "" when the name has no such part.
std::string companion_name(const std::string& cert, const char* kind) {
    if (cert.size() < 8)
        return {};
    std::size_t pos = cert.size() - 8; // "_rsa." + 3-letter extension
    if (cert.compare(pos, 5, "_rsa.") != 0)
        return {};
    std::string out = cert;
    out.replace(pos + 1, 3, kind);
    return out;
}

} // namespace

std::string tls_fingerprint(const tls_settings& s) {
    std::string all = read_file(s.certfile);
    all += '\0';
    all += read_file(s.privatekey.empty() ? s.certfile : s.privatekey);
    all += '\0';
    for (const char* kind : {"ecc", "dsa"}) {
        std::string c = companion_name(s.certfile, kind);
        if (!c.empty())
            all += read_file(c);
        all += '\0';
    }
    all += s.cipher;
    all += s.server_cipher_order ? '1' : '0';
    all += s.disable_v1 ? '1' : '0';
    all += s.disable_v11 ? '1' : '0';
    all += s.disable_v12 ? '1' : '0';
    return sha1_hex(all);
}

tls_material build_tls_context(const tls_settings& s) {
    namespace ssl = boost::asio::ssl;
    tls_material m;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = ctx->native_handle();
    ERR_clear_error();
    long options = SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION;
    if (s.disable_v1)
        options |= SSL_OP_NO_TLSv1;
    if (s.disable_v11)
        options |= SSL_OP_NO_TLSv1_1;
    if (s.disable_v12)
        options |= SSL_OP_NO_TLSv1_2;
    if (s.server_cipher_order)
        options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
    SSL_CTX_set_options(native, static_cast<uint64_t>(options));
    // Let the option flags decide: OpenSSL 3's default minimum would hide tlsdisablev1=no.
    SSL_CTX_set_min_proto_version(native, 0);

    if (SSL_CTX_use_certificate_chain_file(native, s.certfile.c_str()) != 1) {
        AHTTP_ERROR("TLS/SSL error loading cert file. <{}>", s.certfile);
        std::string errs = openssl_errors();
        if (!errs.empty())
            AHTTP_ERROR("{}", errs);
        return m;
    }
    const std::string& key = s.privatekey.empty() ? s.certfile : s.privatekey;
    if (SSL_CTX_use_PrivateKey_file(native, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1) {
        AHTTP_ERROR("TLS/SSL error loading private key file. <{}>", key);
        std::string errs = openssl_errors();
        if (!errs.empty())
            AHTTP_ERROR("{}", errs);
        return m;
    }
    for (const char* kind : {"ecc", "dsa"}) {
        std::string c = companion_name(s.certfile, kind);
        if (c.empty() || ::access(c.c_str(), R_OK) != 0)
            continue;
        if (SSL_CTX_use_certificate_chain_file(native, c.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(native, c.c_str(), SSL_FILETYPE_PEM) != 1)
            AHTTP_WARNING("TLS/SSL error loading public {} key (certificate) from <{}>.", kind, c);
        ERR_clear_error();
    }
    if (!s.cipher.empty() && SSL_CTX_set_cipher_list(native, s.cipher.c_str()) != 1) {
        AHTTP_ERROR("TLS/SSL cipher error <{}>", s.cipher);
        return m;
    }
    SSL_CTX_set_dh_auto(native, 1);
    m.context = std::move(ctx);
    m.fingerprint = tls_fingerprint(s);
    return m;
}

} // namespace ahttp::core
