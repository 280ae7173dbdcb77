// The `name=regex` category filter shared by `[x](+filter)` and AMI's Filter/Match parameters.
#include "ahttp/config.hpp"
#include "config/text_util.hpp"

#include <regex.h>

#include <memory>
#include <string>
#include <vector>

namespace ahttp::config {
namespace {

class posix_regex {
  public:
    explicit posix_regex(const std::string& pattern) {
        ok_ = ::regcomp(&re_, pattern.c_str(), REG_EXTENDED | REG_NOSUB) == 0;
    }
    ~posix_regex() {
        if (ok_)
            ::regfree(&re_);
    }
    posix_regex(const posix_regex&) = delete;
    posix_regex& operator=(const posix_regex&) = delete;

    bool matches(const std::string& text) const { return ok_ && ::regexec(&re_, text.c_str(), 0, nullptr, 0) == 0; }

  private:
    regex_t re_{};
    bool ok_ = false;
};

struct filter_pair {
    std::unique_ptr<posix_regex> name;
    std::unique_ptr<posix_regex> value;
};

} // namespace

bool matches_filter(const section& candidate, std::string_view filter, char separator) {
    enum class template_rule { exclude, include, restrict } templates = template_rule::exclude;
    std::vector<filter_pair> pairs;
    while (!filter.empty()) {
        std::size_t end = filter.find(separator);
        std::string_view item = filter.substr(0, end);
        filter = end == std::string_view::npos ? std::string_view{} : filter.substr(end + 1);
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            break; // a pair without '=' ends the list
        std::string_view name = item.substr(0, eq);
        std::string_view value = item.substr(eq + 1);
        if (iequals(name, "TEMPLATES")) {
            if (iequals(value, "include"))
                templates = template_rule::include;
            else if (iequals(value, "restrict"))
                templates = template_rule::restrict;
            continue;
        }
        pairs.push_back(
            {std::make_unique<posix_regex>(std::string(name)), std::make_unique<posix_regex>(std::string(value))});
    }
    if (candidate.is_template ? templates == template_rule::exclude : templates == template_rule::restrict)
        return false;
    for (const auto& p : pairs) {
        bool found = false;
        for (const auto& v : candidate.variables) {
            if (p.name->matches(v.name) && p.value->matches(v.value)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace ahttp::config
