// One upload request's multipart body turned into files (spec 04 §4): fed chunk by chunk as the body streams
// in, so memory stays bounded (the parser's window plus one read), whatever the upload size.
#pragma once

#include "ahttp/multipart.hpp"
#include "upload_file.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ahttp::post {

class upload_job final : public http::multipart_handler {
  public:
    /// `content_type`: the request's Content-Type value; `directory`: the mapped directory as configured.
    upload_job(std::string_view content_type, std::string directory);

    /// The next body bytes. False once the MIME parser failed (then parse_failed() is true): stop reading.
    bool feed(std::string_view chunk);
    /// The body ended completely. True when at least one MIME part was visited (the 200 of spec 04 §4.4);
    /// false for a parse error or zero parts (rows 9 and 10). A part still open is dropped, not written.
    bool finish();
    /// The body was cut off: an open part's temporary file is removed and nothing more is written.
    void abort() noexcept { file_.abort(); }

    bool parse_failed() const noexcept { return parse_failed_; }
    std::size_t files_written() const noexcept { return files_written_; }

  private:
    void on_part_begin(const http::mime_part_info& part) override;
    bool on_part_data(std::string_view bytes) override;
    void on_part_end() override;

    std::string directory_;
    upload_file file_; // the current part's file; closed (skipped) for parts without a usable name
    http::multipart_parser parser_;
    std::size_t files_written_ = 0;
    bool parse_failed_ = false;
};

} // namespace ahttp::post
