// The shared line parser of spec 02 §9.2 with one emitter per format (§9.3 for names and escaping).
#include "manager/output_converters.hpp"

#include <string>
#include <unordered_map>

namespace ahttp::manager {
namespace {

// The AMI notion of a blank: any byte up to and including space.
constexpr bool is_blank(char c) noexcept {
    return static_cast<unsigned char>(c) < 0x21;
}

constexpr bool is_ascii_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void append_escaped(std::string& out, std::string_view s, bool xml) {
    for (char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        case '&':
            out += "&amp;";
            break;
        default:
            out.push_back(xml && static_cast<unsigned char>(c) < 0x20 && c != '\t' ? ' ' : c);
        }
    }
}

// The parser state of §9.2 plus the format-specific pieces it emits.
class converter {
  public:
    converter(bool xml, std::string_view dest, std::string_view objtype) : xml_(xml), dest_(dest), objtype_(objtype) {}

    void line(std::string_view l) {
        if (l.empty()) {
            end_block();
            return;
        }
        if (!in_block_) {
            in_block_ = true;
            if (xml_)
                out_.append("<response type='object' id='").append(dest_).append("'><").append(objtype_);
        }
        if (opaque_) {
            out_ += xml_ ? "\n" : "<br>\n";
            append_escaped(out_, l, xml_);
            return;
        }
        std::string_view name = "Opaque-data";
        std::string_view value = l;
        if (const auto colon = l.find(':'); colon != std::string_view::npos) {
            name = l.substr(0, colon);
            while (!name.empty() && is_blank(name.back()))
                name.remove_suffix(1);
            value = l.substr(colon + 1);
            while (!value.empty() && is_blank(value.front()))
                value.remove_prefix(1);
        } else {
            opaque_ = true;
        }
        field(name, value);
        // An opaque value stays open for the following lines; an empty line or the end closes it.
        if (!opaque_)
            close_value();
    }

    // An empty line, and the end of input: close an opaque value, then the block.
    void end_block() {
        if (opaque_) {
            close_value();
            opaque_ = false;
        }
        if (in_block_) {
            out_ += xml_ ? " /></response>\n" : "<tr><td colspan=\"2\"><hr></td></tr>\r\n";
            in_block_ = false;
            seen_.clear();
        }
    }

    std::string take() { return std::move(out_); }

  private:
    void field(std::string_view name, std::string_view value) {
        const int n = ++seen_[std::string(name)];
        if (xml_) {
            out_.append(" ").append(xml_attribute_name(name));
        } else {
            out_ += "<tr><td>";
            append_escaped(out_, name, false);
        }
        if (n > 1)
            out_.append("-").append(std::to_string(n));
        out_ += xml_ ? "='" : "</td><td>";
        append_escaped(out_, value, xml_);
    }

    void close_value() { out_ += xml_ ? "'" : "</td></tr>\n"; }

    bool xml_;
    std::string_view dest_;
    std::string_view objtype_;
    bool in_block_ = false;
    bool opaque_ = false;
    std::unordered_map<std::string, int> seen_; // occurrences of each exact name in the open block
    std::string out_;
};

std::string convert(std::string_view ami, bool xml, std::string_view dest, std::string_view objtype) {
    converter c(xml, dest, objtype);
    std::size_t pos = 0;
    while (pos < ami.size()) {
        const std::size_t end = ami.find_first_of("\r\n", pos);
        std::string_view l = ami.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (end == std::string_view::npos)
            pos = ami.size();
        else
            pos = end + (ami[end] == '\r' && end + 1 < ami.size() && ami[end + 1] == '\n' ? 2 : 1);
        while (!l.empty() && is_blank(l.back()))
            l.remove_suffix(1);
        c.line(l);
    }
    c.end_block();
    return c.take();
}

} // namespace

std::string_view ajax_token(std::string_view value, std::string_view fallback) noexcept {
    if (value.empty())
        return fallback;
    for (char c : value)
        if (!is_ascii_alnum(c) && c != '_' && c != '.' && c != '-')
            return fallback;
    return value;
}

std::string escape_html(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_escaped(out, s, false);
    return out;
}

std::string escape_xml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_escaped(out, s, true);
    return out;
}

std::string xml_attribute_name(std::string_view name) {
    if (name.empty())
        return "_";
    std::string out;
    out.reserve(name.size() + 1);
    if (name.front() >= '0' && name.front() <= '9')
        out.push_back('_');
    for (char c : name) {
        if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else
            out.push_back(is_ascii_alnum(c) ? c : '_');
    }
    return out;
}

std::string convert_to_xml(std::string_view ami, std::string_view dest, std::string_view objtype) {
    return convert(ami, true, dest, objtype);
}

std::string convert_to_html(std::string_view ami) {
    return convert(ami, false, {}, {});
}

} // namespace ahttp::manager
