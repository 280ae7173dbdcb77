// CLI line tokeniser (spec 00 §5.1).
#include "ahttp/cli.hpp"
#include "ahttp/log.hpp"

namespace ahttp::cli {

std::vector<std::string> tokenize(std::string_view line) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < line.size() && static_cast<unsigned char>(line[i]) <= 0x20)
        ++i;

    bool in_word = false; // a word has been started (an opening quote starts one, so `""` yields a word)
    bool quoted = false;
    bool escaped = false;
    for (; i < line.size(); ++i) {
        const char c = line[i];
        const bool separator = (c == ' ' || c == '\t') && !quoted && !escaped;
        if (!in_word && !separator && !(c == '\\' && !escaped)) {
            if (words.size() == max_words) {
                AHTTP_WARNING("Too many arguments, truncating at {}", line.substr(i));
                break;
            }
            words.emplace_back();
            in_word = true;
        }
        if (escaped) {
            words.back().push_back(c);
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (separator) {
            in_word = false;
        } else {
            words.back().push_back(c);
        }
    }
    return words;
}

} // namespace ahttp::cli
