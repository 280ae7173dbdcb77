// Fuzz target: the AMI request parameters of the manager URIs (spec 02 §1.2): query strings and form bodies
// decoded into AMI header lines, the 128-line cap, and the header lookups every action makes.
//
// Input layout: byte 0 picks the source (bit 0: 0 = query string, 1 = POST form body) and, for bodies, the
// Content-Type (bits 1-2); the remaining bytes are the query or the body. Mirrors collect_params() of
// modules/manager/http_params.cpp, which needs a live exchange and so cannot be called here.
#include "ahttp/config.hpp"
#include "ahttp/http_util.hpp"
#include "ahttp/manager.hpp"
#include "manager/http_entry.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ahttp;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_manager_params invariant failed: %s\n", what);
        std::abort();
    }
}

// Content types a client may send: only the first two are form bodies (§1.2.2: media type before `;`,
// case-insensitive, untrimmed).
constexpr std::array<std::string_view, 4> content_types{
    "application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
    "application/x-www-form-urlencoded ; charset=UTF-8", "application/json"};

bool stripped_suffix_of(std::string_view got, std::string_view raw) {
    if (got.size() > raw.size() || raw.substr(raw.size() - got.size()) != got)
        return false;
    for (char c : raw.substr(0, raw.size() - got.size()))
        if (static_cast<unsigned char>(c) >= 0x21)
            return false;
    return got.empty() || static_cast<unsigned char>(got.front()) >= 0x21;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::uint8_t mode = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    const bool is_form = (mode & 1) != 0;
    const std::string_view content_type = content_types[(mode >> 1) & 3];

    http::field_list params = is_form ? http::parse_form(input, content_type) : http::parse_query(input);
    if (is_form && ((mode >> 1) & 3) >= 2)
        check(params.empty(), "non-form content type produced parameters");

    // Every item comes from one `&`-separated piece of the input (up to its first NUL); decoding never grows.
    const std::string_view until_nul = input.substr(0, input.find('\0'));
    std::size_t pieces = 1;
    for (char c : until_nul)
        pieces += c == '&';
    check(params.size() <= pieces, "more parameters than items");
    for (const auto& p : params) {
        check(p.name.size() + p.value.size() <= until_nul.size(), "decoding grew the text");
        check(p.name.find('\0') == std::string::npos && p.value.find('\0') == std::string::npos, "NUL decoded");
    }

    if (params.size() > manager::max_request_lines)
        params.resize(manager::max_request_lines);
    std::vector<manager::message::line> lines;
    for (const auto& p : params)
        lines.emplace_back(p.name, p.value);
    const manager::message msg(std::move(lines));

    // get(): the first line of that name (case-insensitive) wins, even when empty; only leading bytes < 0x21
    // are removed. Checked for every name present, plus the usual ones that may be absent.
    std::vector<std::string> names;
    for (const auto& [n, v] : msg.lines())
        names.push_back(n);
    for (const char* n : {"Action", "ActionID", "Username", "Secret", "ajaxdest", "Variable"})
        names.emplace_back(n);
    for (const auto& name : names) {
        const std::string_view got = msg.get(name);
        const manager::message::line* first = nullptr;
        for (const auto& l : msg.lines())
            if (config::iequals(l.first, name)) {
                first = &l;
                break;
            }
        if (!first)
            check(got.empty(), "value for an absent name");
        else
            check(stripped_suffix_of(got, first->second), "get() is not the first value, front-stripped");
        std::size_t count = 0;
        for (const auto& l : msg.lines())
            count += config::iequals(l.first, name);
        const auto all = msg.get_all(name);
        check(all.size() == count, "get_all() count");
        check(count == 0 || all.front() == got, "get_all() disagrees with get()");
    }

    // action(): the first non-empty Action value (§1.2.4 exception).
    std::string_view expected;
    for (const auto& l : msg.lines())
        if (config::iequals(l.first, "Action")) {
            std::size_t i = 0;
            while (i < l.second.size() && static_cast<unsigned char>(l.second[i]) < 0x21)
                ++i;
            if (i < l.second.size()) {
                expected = std::string_view(l.second).substr(i);
                break;
            }
        }
    check(msg.action() == expected, "action() is not the first non-empty Action");
    return 0;
}
