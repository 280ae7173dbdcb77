#include "ahttp/acl.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>
#include <cstring>

namespace ahttp {
namespace {

void bits_to_mask(int bits, unsigned char* mask, int len) {
    for (int i = 0; i < len; ++i) {
        int b = bits - i * 8;
        mask[i] = b >= 8 ? 0xff : b <= 0 ? 0 : static_cast<unsigned char>(0xff << (8 - b));
    }
}

bool match(const acl_rule& r, const unsigned char* addr, int family) {
    if (r.family != family)
        return false;
    int len = family == AF_INET ? 4 : 16;
    for (int i = 0; i < len; ++i)
        if ((addr[i] & r.mask[i]) != (r.addr[i] & r.mask[i]))
            return false;
    return true;
}

} // namespace

std::string acl_rule::describe() const {
    char a[INET6_ADDRSTRLEN] = {}, m[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, addr, a, sizeof a);
    inet_ntop(family, mask, m, sizeof m);
    return fmt::format("{}/{}", a, m);
}

std::optional<acl_rule> parse_acl_rule(bool allow, std::string_view value) {
    acl_rule r;
    r.allow = allow;
    std::string text(value);
    std::string mask_text;
    if (auto slash = text.find('/'); slash != std::string::npos) {
        mask_text = text.substr(slash + 1);
        text.resize(slash);
    }
    if (inet_pton(AF_INET, text.c_str(), r.addr) == 1) {
        r.family = AF_INET;
        if (mask_text.empty()) {
            bits_to_mask(32, r.mask, 4);
        } else if (mask_text.find('.') != std::string::npos) {
            if (inet_pton(AF_INET, mask_text.c_str(), r.mask) != 1)
                return std::nullopt;
        } else {
            int bits = -1;
            auto [p, ec] = std::from_chars(mask_text.data(), mask_text.data() + mask_text.size(), bits);
            if (ec != std::errc() || p != mask_text.data() + mask_text.size() || bits < 0 || bits > 32)
                return std::nullopt;
            bits_to_mask(bits, r.mask, 4);
        }
    } else if (inet_pton(AF_INET6, text.c_str(), r.addr) == 1) {
        r.family = AF_INET6;
        int bits = 128;
        if (!mask_text.empty()) {
            auto [p, ec] = std::from_chars(mask_text.data(), mask_text.data() + mask_text.size(), bits);
            if (ec != std::errc() || p != mask_text.data() + mask_text.size() || bits < 0 || bits > 128)
                return std::nullopt;
        }
        bits_to_mask(bits, r.mask, 16);
    } else {
        return std::nullopt;
    }
    return r;
}

std::optional<std::vector<acl_rule>> parse_acl_entries(bool allow, std::string_view value) {
    auto trim = [](std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
            v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
            v.remove_suffix(1);
        return v;
    };
    std::vector<acl_rule> rules;
    while (true) {
        auto comma = value.find(',');
        std::string_view entry = trim(value.substr(0, comma));
        if (!entry.empty()) {
            bool sense = allow;
            if (entry.front() == '!') {
                sense = !allow;
                entry = trim(entry.substr(1));
            }
            auto rule = parse_acl_rule(sense, entry);
            if (!rule)
                return std::nullopt;
            rules.push_back(*rule);
        }
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
    if (rules.empty())
        return std::nullopt;
    return rules;
}

acl_rule deny_all_rule(int family) {
    acl_rule r; // address and mask all zero: matches every address of the family
    r.allow = false;
    r.family = family;
    return r;
}

bool acl_list::allows(const sockaddr* sa) const {
    unsigned char addr[16] = {};
    int family = sa->sa_family;
    if (family == AF_INET) {
        std::memcpy(addr, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
    } else if (family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        std::memcpy(addr, &in6->sin6_addr, 16);
        // An IPv4-mapped peer is judged by IPv4 rules, as an operator writing 10.0.0.0/8 expects.
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            std::memmove(addr, addr + 12, 4);
            family = AF_INET;
        }
    }
    bool allowed = true;
    for (const auto& r : rules)
        if (match(r, addr, family))
            allowed = r.allow;
    return allowed;
}

bool acl_allows(const std::vector<acl_list>& lists, std::string_view address) {
    sockaddr_storage ss{};
    std::string text(address);
    auto* in4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, text.c_str(), &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
    } else if (inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
    } else {
        return false; // an address we cannot read is not trusted
    }
    for (const auto& l : lists)
        if (!l.allows(reinterpret_cast<const sockaddr*>(&ss)))
            return false;
    return true;
}

} // namespace ahttp
