#include "manager/permissions.hpp"
#include "manager/text_util.hpp"

#include "ahttp/config.hpp"

#include <array>

namespace ahttp::manager {
namespace {

constexpr std::array<permission_class, 20> classes{{
    {"system", perm_system},
    {"call", perm_call},
    {"log", perm_log},
    {"verbose", perm_verbose},
    {"command", perm_command},
    {"agent", perm_agent},
    {"user", perm_user},
    {"config", perm_config},
    {"dtmf", perm_dtmf},
    {"reporting", perm_reporting},
    {"cdr", perm_cdr},
    {"dialplan", perm_dialplan},
    {"originate", perm_originate},
    {"agi", perm_agi},
    {"cc", perm_cc},
    {"aoc", perm_aoc},
    {"test", perm_test},
    {"security", perm_security},
    {"message", perm_message},
    {"all", perm_all},
}};

template <class Pred> std::string join_names(Pred&& listed) {
    std::string out;
    for (const auto& c : classes) {
        if (!listed(c.bits))
            continue;
        if (!out.empty())
            out += ',';
        out += c.name;
    }
    return out.empty() ? std::string("<none>") : out;
}

} // namespace

std::span<const permission_class> permission_classes() noexcept {
    return classes;
}

std::uint32_t parse_permissions(std::string_view list, std::vector<std::string>* unknown) {
    std::uint32_t mask = 0;
    while (true) {
        auto comma = list.find(',');
        std::string_view token = trim(list.substr(0, comma));
        if (!token.empty() && !config::iequals(token, "none")) {
            bool found = false;
            for (const auto& c : classes) {
                if (config::iequals(token, c.name)) {
                    mask |= c.bits;
                    found = true;
                    break;
                }
            }
            if (!found && unknown)
                unknown->emplace_back(token);
        }
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return mask;
}

std::string privilege_string(std::uint32_t mask) {
    return join_names([mask](std::uint32_t bits) { return (mask & bits) != 0; });
}

std::string permission_list(std::uint32_t mask) {
    return join_names([mask](std::uint32_t bits) { return (mask & bits) == bits; });
}

} // namespace ahttp::manager
