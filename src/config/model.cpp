// Lookups on the parsed model (spec 00 §1.10).
#include "ahttp/config.hpp"

namespace ahttp::config {

const variable* section::find(std::string_view name) const noexcept {
    for (auto it = variables.rbegin(); it != variables.rend(); ++it)
        if (iequals(it->name, name))
            return &*it;
    return nullptr;
}

variable* section::find(std::string_view name) noexcept {
    return const_cast<variable*>(static_cast<const section*>(this)->find(name));
}

std::string_view section::value(std::string_view name, std::string_view fallback) const noexcept {
    const variable* v = find(name);
    return v ? std::string_view(v->value) : fallback;
}

const section* model::find_section(std::string_view name) const noexcept {
    for (const auto& s : sections)
        if (!s.is_template && iequals(s.name, name))
            return &s;
    return nullptr;
}

section* model::find_section(std::string_view name) noexcept {
    return const_cast<section*>(static_cast<const model*>(this)->find_section(name));
}

std::vector<const section*> model::visible_sections() const {
    std::vector<const section*> out;
    for (const auto& s : sections)
        if (!s.is_template)
            out.push_back(&s);
    return out;
}

std::string_view model::value(std::string_view sec, std::string_view name, std::string_view fallback) const noexcept {
    const section* s = find_section(sec);
    return s ? s->value(name, fallback) : fallback;
}

} // namespace ahttp::config
