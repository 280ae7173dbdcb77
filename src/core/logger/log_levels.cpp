#include "core/logger/log_levels.hpp"

#include "ahttp/log.hpp"

namespace ahttp::logging {

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

level_table::level_table() {
    for (int i = 0; i < builtin_level_count; ++i)
        slots_[i].name = log_level_name(static_cast<log_level>(i));
}

std::optional<int> level_table::find(std::string_view name) const noexcept {
    if (name.empty())
        return std::nullopt;
    for (int i = 0; i < max_levels; ++i)
        if (ascii_iequals(slots_[i].name, name))
            return i;
    return std::nullopt;
}

std::string_view level_table::name(int index) const noexcept {
    if (index < 0 || index >= max_levels)
        return {};
    return slots_[index].name;
}

std::optional<int> level_table::insert(std::string_view name, bool from_config) {
    if (name.empty())
        return std::nullopt;
    auto index = find(name);
    if (!index) {
        for (int i = builtin_level_count; i < max_levels && !index; ++i)
            if (slots_[i].name.empty())
                index = i;
        if (!index)
            return std::nullopt;
        slots_[*index].name = std::string(name);
    }
    if (*index >= builtin_level_count)
        (from_config ? slots_[*index].from_config : slots_[*index].from_module) = true;
    return index;
}

std::optional<int> level_table::add(std::string_view name) {
    return insert(name, false);
}

bool level_table::remove(std::string_view name) {
    auto index = find(name);
    if (!index || *index < builtin_level_count || !slots_[*index].from_module)
        return false;
    slot& s = slots_[*index];
    s.from_module = false;
    if (!s.from_config)
        s = slot{};
    return true;
}

std::vector<std::string> level_table::set_config_levels(const std::vector<std::string>& names) {
    for (int i = builtin_level_count; i < max_levels; ++i) {
        slots_[i].from_config = false;
        if (!slots_[i].from_module)
            slots_[i] = slot{};
    }
    std::vector<std::string> rejected;
    for (const auto& n : names)
        if (!insert(n, true))
            rejected.push_back(n);
    return rejected;
}

std::uint32_t level_table::named_mask() const noexcept {
    std::uint32_t mask = 0;
    for (int i = 0; i < max_levels; ++i)
        if (!slots_[i].name.empty())
            mask |= level_bit(i);
    return mask;
}

} // namespace ahttp::logging
