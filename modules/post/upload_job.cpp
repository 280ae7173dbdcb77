// Multipart events to safely written files; see upload_job.hpp.
#include "upload_job.hpp"

#include "ahttp/log.hpp"

#include <utility>

namespace ahttp::post {

upload_job::upload_job(std::string_view content_type, std::string directory)
    : directory_(std::move(directory)), parser_(content_type, *this) {}

bool upload_job::feed(std::string_view chunk) {
    if (parse_failed_)
        return false;
    if (parser_.feed(chunk) == http::multipart_parser::state::error) {
        AHTTP_DEBUG(1, "POST upload: cannot parse the multipart body: {}", parser_.error());
        parse_failed_ = true;
        file_.abort();
        return false;
    }
    return true;
}

bool upload_job::finish() {
    if (parse_failed_)
        return false;
    auto st = parser_.finish();
    file_.abort(); // a part without its closing delimiter is never kept
    if (st == http::multipart_parser::state::error) {
        AHTTP_DEBUG(1, "POST upload: cannot parse the multipart body: {}", parser_.error());
        parse_failed_ = true;
        return false;
    }
    return parser_.parts_visited() > 0;
}

void upload_job::on_part_begin(const http::mime_part_info& part) {
    file_.abort();
    auto name = http::safe_upload_name(part);
    if (!name) {
        // Form fields (no filename) and unsafe names (empty, "..", control bytes) are skipped (spec 04 §4.1-2).
        if (!part.filename.empty())
            AHTTP_WARNING("Skipping a POST part whose file name is unsafe (upload to {})", directory_);
        return;
    }
    file_.open(directory_, *name); // failure is logged; the part is then skipped (spec 04 §4.3)
}

bool upload_job::on_part_data(std::string_view bytes) {
    if (file_.is_open())
        file_.write(bytes); // a write error drops this part only
    return true;
}

void upload_job::on_part_end() {
    if (file_.is_open() && file_.commit())
        ++files_written_;
}

} // namespace ahttp::post
