// Streaming multipart/form-data (MIME) parser for POST uploads (spec 04 §4). Socket-free: the caller feeds the
// request body in chunks of any size and receives the leaf parts' headers and decoded bytes through a handler.
// Memory stays bounded whatever the input: the parser never buffers a whole part, only one header block (capped
// by multipart_limits::max_header_bytes) and a window about the length of the boundary line.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ahttp::http {

/// One leaf part's headers, as parsed.
struct mime_part_info {
    std::string content_type;      ///< the part's Content-Type value ("" when absent)
    std::string disposition;       ///< the part's Content-Disposition value ("" when absent)
    std::string filename;          ///< raw name: Content-Disposition filename, else filename* (RFC 2231/5987
                                   ///< decoded), else Content-Type name; "" when none
    std::string transfer_encoding; ///< lower-cased Content-Transfer-Encoding ("" = 7bit)
    int depth = 0;                 ///< 0 for parts of the top-level multipart, +1 per nested multipart
};

/// Receives the parser's events. Calls are strictly ordered: on_part_begin, any number of on_part_data, then
/// on_part_end only when the part's closing delimiter was seen (a part cut off by the end of the body or by an
/// error gets no on_part_end).
class multipart_handler {
  public:
    virtual ~multipart_handler() = default;
    virtual void on_part_begin(const mime_part_info& part) = 0; ///< leaf parts only (not nested multiparts,
                                                                ///< not message/rfc822 which are counted, skipped)
    /// Decoded bytes of the current leaf part (base64 and quoted-printable decoded incrementally; other
    /// encodings as-is). Return false to abort parsing (state::error, error() = "aborted").
    virtual bool on_part_data(std::string_view bytes) = 0;
    virtual void on_part_end() = 0; ///< the part ended properly (its closing delimiter was seen)
};

struct multipart_limits {
    std::size_t max_header_bytes = 16384; ///< one part's header block
    std::size_t max_parts = 10000;        ///< parts visited (nested included)
    std::size_t max_depth = 8;            ///< nesting
};

class multipart_parser {
  public:
    enum class state { more, done, error };

    /// `content_type`: the request's Content-Type value. The boundary parameter is parsed properly (quoted or
    /// not, followed by other parameters or not). A multipart/* type whose boundary is missing or empty is a
    /// body without delimiters (one part, no events). A boundary longer than max_boundary_bytes makes every
    /// feed()/finish() return error. A non-multipart type (`text/plain; boundary=x`) is one leaf part holding
    /// the whole body, its info built from the type (filename from its `name` parameter).
    multipart_parser(std::string_view content_type, multipart_handler& handler, multipart_limits limits = {});
    ~multipart_parser();
    multipart_parser(const multipart_parser&) = delete;
    multipart_parser& operator=(const multipart_parser&) = delete;

    /// Whether the Content-Type value contains the text "boundary=" anywhere (case-insensitive). Spec 04 §3
    /// row 7 decides "is this a multipart upload" with exactly that substring test, so the module uses this,
    /// not whether a usable boundary was found.
    bool has_boundary() const noexcept;

    /// Feeds the next chunk of the body: any segmentation, down to 1 byte at a time, gives the same events.
    /// Handler calls happen inside feed()/finish(). Returns more while parsing continues, done once the
    /// top-level closing delimiter line was seen (later bytes are the epilogue and ignored; a closing delimiter
    /// with no line break after it is only known at finish()), error after any failure (sticky; see error()).
    state feed(std::string_view chunk);

    /// End of body (call it once; later feed()/finish() calls change nothing). A multipart body without any
    /// delimiter counts as one part but is reported by no event (spec 04 §4.4, check 20); a missing final
    /// boundary ends the open part without on_part_end (so a cut-off upload is not kept) and returns done.
    state finish();

    /// Parts visited so far: leaf parts, nested multipart containers and skipped message/rfc822 parts.
    std::size_t parts_visited() const noexcept;

    /// Why parsing failed ("" while not failed): "aborted" (the handler said so), "MIME part headers too
    /// large", "too many MIME parts", "MIME parts nested too deeply", "multipart boundary too long".
    std::string_view error() const noexcept;

    /// The longest boundary accepted (RFC 2046 allows 70; we are a little lenient).
    static constexpr std::size_t max_boundary_bytes = 200;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// §4.2 "required behaviour": the base name after `\`→`/` of whichever source gave `part.filename`;
/// nullopt (skip the part) when empty, ".", "..", containing NUL or control bytes, or still containing `/`.
std::optional<std::string> safe_upload_name(const mime_part_info& part);

} // namespace ahttp::http
