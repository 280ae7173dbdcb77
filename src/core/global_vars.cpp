// One mutex-guarded ordered map: variables are few and accesses short.
#include "ahttp/global_vars.hpp"

#include <map>
#include <mutex>

namespace ahttp::globals {
namespace {

std::mutex vars_mutex;
std::map<std::string, std::string, std::less<>> vars;

} // namespace

bool set(std::string_view name, std::string_view value) {
    if (name.empty() || name.size() > max_name_length || value.size() > max_value_length)
        return false;
    std::lock_guard lock(vars_mutex);
    auto it = vars.find(name);
    if (it != vars.end()) {
        it->second.assign(value);
        return true;
    }
    if (vars.size() >= max_variables)
        return false;
    vars.emplace(std::string(name), std::string(value));
    return true;
}

std::optional<std::string> get(std::string_view name) {
    std::lock_guard lock(vars_mutex);
    auto it = vars.find(name);
    if (it == vars.end())
        return std::nullopt;
    return it->second;
}

bool erase(std::string_view name) {
    std::lock_guard lock(vars_mutex);
    auto it = vars.find(name);
    if (it == vars.end())
        return false;
    vars.erase(it);
    return true;
}

std::vector<std::pair<std::string, std::string>> all() {
    std::lock_guard lock(vars_mutex);
    return {vars.begin(), vars.end()};
}

} // namespace ahttp::globals
