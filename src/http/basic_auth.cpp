// HTTP Basic credentials (spec 01 §3.13, §9.4).
#include "ahttp/http_util.hpp"

#include "http/base64_lenient.hpp"
#include "http/text_util.hpp"

namespace ahttp::http {
namespace {

constexpr std::size_t max_decoded_credentials = 255;

} // namespace

std::optional<basic_credentials> get_basic_auth(const field_list& headers) {
    constexpr std::string_view scheme = "Basic ";
    for (const auto& h : headers) {
        if (!detail::iequals(h.name, "Authorization"))
            continue;
        const std::string_view value = h.value;
        if (value.substr(0, scheme.size()) != scheme)
            continue;
        // Decoded credentials are a C string: a decoded NUL ends them.
        const std::string decoded = detail::base64_decode_lenient(value.substr(scheme.size()), max_decoded_credentials);
        const std::string_view creds = detail::until_nul(decoded);
        const auto colon = creds.find(':');
        if (colon == std::string_view::npos)
            return std::nullopt; // the first Basic header decides, even when it is unusable
        return basic_credentials{std::string(creds.substr(0, colon)), std::string(creds.substr(colon + 1))};
    }
    return std::nullopt;
}

std::optional<std::string> make_basic_auth_header(std::string_view user, std::string_view password) {
    if (user.empty())
        return std::nullopt;
    // A user containing ':' already is the whole user-info; the password is then not needed.
    if (user.find(':') != std::string_view::npos)
        return "Basic " + base64_encode(user);
    if (password.empty())
        return std::nullopt;
    std::string userinfo;
    userinfo.reserve(user.size() + 1 + password.size());
    userinfo.append(user).append(1, ':').append(password);
    return "Basic " + base64_encode(userinfo);
}

} // namespace ahttp::http
