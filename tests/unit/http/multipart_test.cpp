// Streaming multipart/form-data parser: spec 04 §6 parsing checks (3, 4, 12-16, 20-22), segmentation
// independence, delimiter edge cases, decoding, nesting and limits.
#include "ahttp/multipart.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ahttp::http {
namespace {

using state = multipart_parser::state;

/// Records events as text; consecutive data calls are merged so that any segmentation logs the same.
class recorder : public multipart_handler {
  public:
    std::string log;
    std::vector<mime_part_info> parts;
    std::vector<std::string> data; ///< decoded content per part
    std::size_t abort_after = SIZE_MAX;
    std::size_t data_bytes = 0;

    void on_part_begin(const mime_part_info& p) override {
        parts.push_back(p);
        data.emplace_back();
        log += "B[" + p.filename + "|" + std::to_string(p.depth) + "]";
        in_data_ = false;
    }
    bool on_part_data(std::string_view bytes) override {
        EXPECT_FALSE(bytes.empty());
        if (!in_data_)
            log += "D:";
        in_data_ = true;
        log.append(bytes);
        data.back().append(bytes);
        data_bytes += bytes.size();
        return data_bytes <= abort_after;
    }
    void on_part_end() override {
        log += "E;";
        in_data_ = false;
    }

  private:
    bool in_data_ = false;
};

struct outcome {
    std::string log;
    state st = state::more;
    std::size_t parts = 0;
    std::string error;
};

/// Feeds `body` cut at the given offsets (ascending), then finishes.
outcome run(std::string_view ct, std::string_view body, const std::vector<std::size_t>& cuts = {},
            multipart_limits limits = {}) {
    recorder r;
    multipart_parser p(ct, r, limits);
    state st = state::more;
    std::size_t from = 0;
    for (std::size_t cut : cuts) {
        st = p.feed(body.substr(from, cut - from));
        from = cut;
    }
    st = p.feed(body.substr(from));
    st = p.finish();
    return {r.log, st, p.parts_visited(), std::string(p.error())};
}

outcome run_bytewise(std::string_view ct, std::string_view body) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < body.size(); ++i)
        cuts.push_back(i);
    return run(ct, body, cuts);
}

const char* const form_ct = "multipart/form-data; boundary=XYZ";

std::string file_part(std::string_view field, std::string_view filename, std::string_view content) {
    return "--XYZ\r\nContent-Disposition: form-data; name=\"" + std::string(field) + "\"; filename=\"" +
           std::string(filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + std::string(content) +
           "\r\n";
}

std::vector<mime_part_info> infos(std::string_view ct, std::string_view body) {
    recorder r;
    multipart_parser p(ct, r);
    p.feed(body);
    EXPECT_EQ(p.finish(), state::done);
    return r.parts;
}

std::optional<std::string> name_for(std::string_view disposition_params) {
    const std::string body = "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; " + std::string(disposition_params) +
                             "\r\n\r\nx\r\n--XYZ--\r\n";
    const auto ps = infos(form_ct, body);
    EXPECT_EQ(ps.size(), 1u);
    return ps.empty() ? std::nullopt : safe_upload_name(ps[0]);
}

TEST(Multipart, TwoFilesInOneRequest) { // check 3
    const std::string body = file_part("a", "x.txt", "hello x") + file_part("b", "y.txt", "hello\r\ny") + "--XYZ--\r\n";
    const auto o = run(form_ct, body);
    EXPECT_EQ(o.st, state::done);
    EXPECT_EQ(o.parts, 2u);
    EXPECT_EQ(o.log, "B[x.txt|0]D:hello xE;B[y.txt|0]D:hello\r\nyE;");
}

TEST(Multipart, PlainFieldIsReportedWithoutFilename) { // check 4
    const std::string body = "--XYZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n" +
                             file_part("f", "x.txt", "data") + "--XYZ--\r\n";
    recorder r;
    multipart_parser p(form_ct, r);
    p.feed(body);
    EXPECT_EQ(p.finish(), state::done);
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[0].filename, "");
    EXPECT_EQ(r.parts[0].disposition, "form-data; name=\"note\"");
    EXPECT_EQ(safe_upload_name(r.parts[0]), std::nullopt);
    EXPECT_EQ(safe_upload_name(r.parts[1]), "x.txt");
    EXPECT_EQ(r.parts[1].content_type, "application/octet-stream");
    EXPECT_EQ(r.data[1], "data");
}

TEST(Multipart, TraversalInQuotedFilename) { // check 12
    EXPECT_EQ(name_for("filename=\"../../tmp/evil.txt\""), "evil.txt");
}

TEST(Multipart, WindowsPathFilename) { // check 13: backslashes are not escapes
    const std::string body =
        "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\win.txt\"\r\n\r\nx\r\n--XYZ--";
    const auto ps = infos(form_ct, body);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].filename, "C:\\dir\\win.txt");
    EXPECT_EQ(safe_upload_name(ps[0]), "win.txt");
}

TEST(Multipart, Rfc2231Filename) { // check 14
    EXPECT_EQ(name_for("filename*=UTF-8''..%2F..%2Ftmp%2Fevil2.txt"), "evil2.txt");
    EXPECT_EQ(name_for("filename*=UTF-8'en'%C3%A9t%C3%A9.txt"), "\xC3\xA9t\xC3\xA9.txt");
    // Continuations, starred ones percent-decoded, joined in index order.
    EXPECT_EQ(name_for("filename*1*=%2Fb.txt; filename*0*=utf-8''a"), "b.txt");
    EXPECT_EQ(name_for("filename*0=\"abc\"; filename*1=\"def.txt\""), "abcdef.txt");
    // The plain form wins over the extended one.
    EXPECT_EQ(name_for("filename*=UTF-8''other.txt; filename=\"plain.txt\""), "plain.txt");
}

TEST(Multipart, UnquotedFilename) { // check 15
    EXPECT_EQ(name_for("filename=../evil3.txt"), "evil3.txt");
    EXPECT_EQ(name_for("filename=  spaced.txt  ;x=y"), "spaced.txt");
}

TEST(Multipart, DotDotAndHostileNamesAreSkipped) { // check 16
    EXPECT_EQ(name_for("filename=\"..\""), std::nullopt);
    EXPECT_EQ(name_for("filename=\".\""), std::nullopt);
    EXPECT_EQ(name_for("filename=\"dir/\""), std::nullopt);
    EXPECT_EQ(name_for("filename=\"a\\..\""), std::nullopt);
    EXPECT_EQ(name_for("filename*=UTF-8''a%00b"), std::nullopt);
    EXPECT_EQ(name_for("filename*=UTF-8''a%0Ab"), std::nullopt);
    EXPECT_EQ(name_for("filename=\"a\x7f\""), std::nullopt);
    EXPECT_EQ(name_for("filename=\"...\""), "...");
}

TEST(Multipart, ContentTypeNameIsTheLastSource) {
    const std::string body = "--XYZ\r\nContent-Type: audio/wav; name=\"../../n.wav\"\r\n\r\nx\r\n"
                             "--XYZ\r\nContent-Disposition: attachment; filename=d.wav\r\n"
                             "Content-Type: audio/wav; name=n.wav\r\n\r\ny\r\n--XYZ--\r\n";
    const auto ps = infos(form_ct, body);
    ASSERT_EQ(ps.size(), 2u);
    EXPECT_EQ(ps[0].filename, "../../n.wav");
    EXPECT_EQ(safe_upload_name(ps[0]), "n.wav");
    EXPECT_EQ(ps[1].filename, "d.wav");
}

TEST(Multipart, BodyWithoutDelimitersIsOnePart) { // check 20
    const auto o = run(form_ct, "garbage without boundary lines");
    EXPECT_EQ(o.st, state::done);
    EXPECT_EQ(o.parts, 1u);
    EXPECT_EQ(o.log, "");
    const auto empty = run(form_ct, "");
    EXPECT_EQ(empty.parts, 1u);
    // multipart without a usable boundary parameter behaves the same.
    EXPECT_EQ(run("multipart/form-data; xboundary=XYZ", file_part("f", "a", "b")).parts, 1u);
    EXPECT_EQ(run("multipart/form-data; boundary=\"\"", file_part("f", "a", "b")).log, "");
}

TEST(Multipart, BoundaryParameterForms) { // check 21
    const std::string body = file_part("f", "q.txt", "quoted") + "--XYZ--\r\n";
    const std::string expect = "B[q.txt|0]D:quotedE;";
    EXPECT_EQ(run("multipart/form-data; boundary=\"XYZ\"", body).log, expect);
    EXPECT_EQ(run("multipart/form-data; boundary=XYZ; charset=utf-8", body).log, expect);
    EXPECT_EQ(run("multipart/form-data; charset=utf-8; BOUNDARY=XYZ ", body).log, expect);
    EXPECT_EQ(run("Multipart/Form-Data;boundary=\"XYZ\";charset=\"x\"", body).log, expect);
    // A quoted boundary may hold `;` and `=`.
    std::string odd = body;
    for (std::size_t pos = 0; (pos = odd.find("XYZ", pos)) != std::string::npos; pos += 5)
        odd.replace(pos, 3, "a;b=c");
    EXPECT_EQ(run("multipart/form-data; boundary=\"a;b=c\"", odd).log, expect);
}

TEST(Multipart, HasBoundaryIsASubstringTest) { // spec 04 §3 row 7
    recorder r;
    EXPECT_TRUE(multipart_parser("multipart/form-data; boundary=x", r).has_boundary());
    EXPECT_TRUE(multipart_parser("text/plain; xboundary=x", r).has_boundary());
    EXPECT_TRUE(multipart_parser("multipart/form-data; BOUNDARY=x", r).has_boundary());
    EXPECT_FALSE(multipart_parser("multipart/form-data", r).has_boundary());
    EXPECT_FALSE(multipart_parser("multipart/form-data; boundary x", r).has_boundary());
}

TEST(Multipart, Base64Part) { // check 22
    const std::string body = "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.txt\"\r\n"
                             "Content-Transfer-Encoding: BASE64 \r\n\r\naGVsbG8=\r\n--XYZ--\r\n";
    recorder r;
    multipart_parser p(form_ct, r);
    p.feed(body);
    EXPECT_EQ(p.finish(), state::done);
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].transfer_encoding, "base64");
    EXPECT_EQ(r.data[0], "hello");
    // Split across chunks at every point, with line breaks and junk inside the encoding.
    const std::string wrapped =
        "--XYZ\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs\r\nbG8g\r\n d29y bGQ=\r\n--XYZ--";
    EXPECT_EQ(run_bytewise(form_ct, wrapped).log, "B[|0]D:hello worldE;");
    // Unpadded and concatenated encodings.
    EXPECT_EQ(run(form_ct, "--XYZ\nContent-Transfer-Encoding: base64\n\naGk\n--XYZ--").log, "B[|0]D:hiE;");
    EXPECT_EQ(run(form_ct, "--XYZ\nContent-Transfer-Encoding: base64\n\naA==aQ==\n--XYZ--").log, "B[|0]D:hiE;");
}

TEST(Multipart, QuotedPrintable) {
    const std::string body = "--XYZ\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                             "caf=C3=A9 soft=\r\nbreak =3d=3D pad= \t\r\nded  \r\nline2\t\r\n"
                             "lf=\nsoft bad=ZZ end=\r\n--XYZ--\r\n";
    const auto o = run(form_ct, body);
    EXPECT_EQ(o.log, "B[|0]D:caf\xC3\xA9 softbreak == padded\r\nline2\r\nlfsoft bad=ZZ endE;");
    EXPECT_EQ(run_bytewise(form_ct, body).log, o.log);
    // A half escape at the end of the part is kept as written.
    EXPECT_EQ(run(form_ct, "--XYZ\nContent-Transfer-Encoding: quoted-printable\n\nx=4\n--XYZ--").log, "B[|0]D:x=4E;");
}

TEST(Multipart, OtherEncodingsAreRaw) {
    const std::string body = "--XYZ\r\nContent-Transfer-Encoding: 8bit\r\n\r\n=C3 aGVsbG8=\r\n--XYZ--\r\n";
    const auto ps = infos(form_ct, body);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].transfer_encoding, "8bit");
    EXPECT_EQ(run(form_ct, body).log, "B[|0]D:=C3 aGVsbG8=E;");
}

// Bodies exercising every corner; each must give the same events however it is cut.
std::vector<std::pair<std::string, std::string>> segmentation_cases() {
    return {
        {form_ct, file_part("a", "x.txt", "hello x") + file_part("b", "y.txt", "line\r\n--XY\r\n--XYZa\r\n") +
                      "--XYZ--\r\nepilogue"},
        {form_ct, "preamble\r\n--XYZ\r\n\r\n\r\r\n\r\n--XYZ \t\r\nContent-Type: text/plain\r\n\r\n-\r\n-\r\n--XYZ--"},
        {form_ct, "--XYZ\nContent-Transfer-Encoding: base64\n\naGVs\nbG8=\n--XYZ\n"
                  "Content-Transfer-Encoding: quoted-printable\n\na=3Db=\nc\n--XYZ--\n"},
        {form_ct, "--XYZ\r\nContent-Type: multipart/mixed; boundary=\"in\"\r\n\r\npre\r\n--in\r\n"
                  "Content-Disposition: attachment; filename=n1\r\n\r\nnested one\r\n--in\r\n\r\nnested two\r\n"
                  "--in--\r\nnested epilogue\r\n--XYZ\r\nContent-Disposition: form-data; filename=top\r\n\r\n"
                  "top\r\n--XYZ--"},
        {form_ct, "--XYZ\r\nContent-Disposition: form-data; filename=cut\r\n\r\npartial data\r\n--XY"},
        {"text/plain; boundary=XYZ", "--XYZ\r\nall of it\r\n"},
    };
}

TEST(Multipart, EverySplitPointGivesTheSameEvents) {
    for (const auto& [ct, body] : segmentation_cases()) {
        SCOPED_TRACE(body);
        const outcome whole = run(ct, body);
        EXPECT_EQ(run_bytewise(ct, body).log, whole.log);
        for (std::size_t i = 0; i <= body.size(); ++i) {
            const outcome o = run(ct, body, {i});
            EXPECT_EQ(o.log, whole.log) << "split at " << i;
            EXPECT_EQ(o.parts, whole.parts);
            EXPECT_EQ(o.st, whole.st);
        }
        for (std::size_t i = 0; i <= body.size(); i += 3)
            for (std::size_t j = i; j <= body.size(); j += 5)
                EXPECT_EQ(run(ct, body, {i, j}).log, whole.log) << "split at " << i << "," << j;
    }
}

TEST(Multipart, BoundaryTextInsideDataIsData) {
    const std::string data = "a--XYZ\r\n"   // not at a line start
                             "--XYZa\r\n"   // followed by another character
                             "--XYZ-\r\n"   // a single dash
                             "--XYZ--x\r\n" // junk after the closing dashes
                             " --XYZ\r\n"   // indented
                             "--XY\r\n"     // a prefix only
                             "--xyz\r\n"    // boundaries are case-sensitive
                             "-\r\n--\r\n---XYZ\r\n"
                             "--XYZ\rx\r\n" // a lone CR
                             "end";
    const auto o = run(form_ct, file_part("f", "d", data) + "--XYZ--");
    EXPECT_EQ(o.log, "B[d|0]D:" + data + "E;");
    EXPECT_EQ(run_bytewise(form_ct, file_part("f", "d", data) + "--XYZ--").log, o.log);
}

TEST(Multipart, LineBreaksBeforeTheDelimiterBelongToIt) {
    EXPECT_EQ(run(form_ct, "--XYZ\r\n\r\na\r\r\n--XYZ--").log, "B[|0]D:a\rE;");
    EXPECT_EQ(run(form_ct, "--XYZ\r\n\r\na\n\n--XYZ--").log, "B[|0]D:a\nE;");
    EXPECT_EQ(run(form_ct, "--XYZ\r\n\r\n\r\n--XYZ--").log, "B[|0]E;");
    EXPECT_EQ(run(form_ct, "--XYZ\r\n\r\n--XYZ--").log, "B[|0]E;");
    // Headers ended by the next delimiter instead of a blank line: an empty part.
    EXPECT_EQ(run(form_ct, "--XYZ\r\nContent-Disposition: form-data; filename=h\r\n--XYZ--").log, "B[h|0]E;");
    EXPECT_EQ(run(form_ct, "--XYZ\r\nContent-Disposition: form-data; filename=h\r\n--XYZ\r\n\r\nz\r\n--XYZ--").log,
              "B[h|0]E;B[|0]D:zE;");
}

TEST(Multipart, BareLineFeedsAndPadding) {
    const std::string body =
        "--XYZ  \nContent-Disposition: form-data;\n filename=\"folded.txt\"\n\nlf body\n--XYZ-- \t";
    const auto o = run(form_ct, body);
    EXPECT_EQ(o.st, state::done);
    EXPECT_EQ(o.log, "B[folded.txt|0]D:lf bodyE;");
}

TEST(Multipart, PreambleAndEpilogueAreIgnored) {
    const std::string body = "This is a preamble\r\n--XYZ is not a delimiter\r\n" + file_part("f", "p", "P") +
                             "--XYZ--\r\n" + file_part("g", "after", "ignored") + "--XYZ--\r\n";
    const auto o = run(form_ct, body);
    EXPECT_EQ(o.log, "B[p|0]D:PE;");
    EXPECT_EQ(o.parts, 1u);
    recorder r;
    multipart_parser p(form_ct, r);
    EXPECT_EQ(p.feed(body), state::done);
    EXPECT_EQ(p.feed("more epilogue"), state::done);
    EXPECT_EQ(p.finish(), state::done);
}

TEST(Multipart, MissingFinalBoundaryEndsTheOpenPartWithoutEnd) {
    const std::string body = file_part("a", "complete.txt", "ok") + file_part("b", "cut.txt", "half");
    const auto o = run(form_ct, body.substr(0, body.size() - 2)); // no final delimiter
    EXPECT_EQ(o.st, state::done);
    EXPECT_EQ(o.parts, 2u);
    EXPECT_EQ(o.log, "B[complete.txt|0]D:okE;B[cut.txt|0]D:half");
    // Cut in the headers: counted, never begun.
    const auto h = run(form_ct, file_part("a", "c", "ok") + "--XYZ\r\nContent-Disp");
    EXPECT_EQ(h.log, "B[c|0]D:okE;");
    EXPECT_EQ(h.parts, 2u);
    // The closing delimiter needs no line break at the end of the body.
    EXPECT_EQ(run(form_ct, file_part("a", "c", "ok") + "--XYZ--").log, "B[c|0]D:okE;");
    EXPECT_EQ(run(form_ct, file_part("a", "c", "ok") + "--XYZ").log, "B[c|0]D:okE;");
}

TEST(Multipart, HugePartHeadersAreAnError) {
    const std::string big = "--XYZ\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\nx\r\n--XYZ--";
    const auto o = run(form_ct, big);
    EXPECT_EQ(o.st, state::error);
    EXPECT_EQ(o.error, "MIME part headers too large");
    EXPECT_EQ(o.log, "");
    multipart_limits small;
    small.max_header_bytes = 64;
    const std::string ok = "--XYZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--XYZ--";
    EXPECT_EQ(run(form_ct, ok, {}, small).st, state::done);
    EXPECT_EQ(run(form_ct, "--XYZ\r\nContent-Disposition: form-data; filename=" + std::string(60, 'a') + "\r\n\r\n", {},
                  small)
                  .st,
              state::error);
    // Many header lines add up.
    std::string many = "--XYZ\r\n";
    for (int i = 0; i < 2000; ++i)
        many += "X-H: 1234567\r\n";
    EXPECT_EQ(run(form_ct, many + "\r\nx\r\n--XYZ--").error, "MIME part headers too large");
}

TEST(Multipart, NestedMultipartIsDescended) {
    const auto [ct, body] = segmentation_cases()[3];
    const auto o = run(ct, body);
    EXPECT_EQ(o.st, state::done);
    EXPECT_EQ(o.log, "B[n1|1]D:nested oneE;B[|1]D:nested twoE;B[top|0]D:topE;");
    EXPECT_EQ(o.parts, 4u); // the container, its two parts, the top-level file
}

TEST(Multipart, OuterDelimiterClosesNestedParts) {
    const std::string body = "--XYZ\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\n"
                             "Content-Disposition: attachment; filename=n\r\n\r\nunclosed\r\n--XYZ\r\n"
                             "Content-Disposition: form-data; filename=t\r\n\r\n--in\r\n--XYZ--";
    // After the outer delimiter "--in" is data again.
    EXPECT_EQ(run(form_ct, body).log, "B[n|1]D:unclosedE;B[t|0]D:--inE;");
}

TEST(Multipart, EmbeddedMessagesAreCountedAndSkipped) {
    const std::string body = "--XYZ\r\nContent-Type: message/rfc822\r\n\r\nSubject: hi\r\n"
                             "Content-Disposition: attachment; filename=inner\r\n\r\nbody\r\n"
                             "--XYZ\r\nContent-Type: Message/Partial; id=1\r\n\r\npart\r\n" +
                             file_part("f", "real", "r") + "--XYZ--";
    const auto o = run(form_ct, body);
    EXPECT_EQ(o.log, "B[real|0]D:rE;");
    EXPECT_EQ(o.parts, 3u);
}

TEST(Multipart, NonMultipartTypeIsOneLeafPart) { // spec 04 §4.4
    recorder r;
    multipart_parser p("text/plain; boundary=x; name=\"n.txt\"", r);
    EXPECT_EQ(p.feed("--x\r\nbody"), state::more);
    EXPECT_EQ(p.finish(), state::done);
    EXPECT_EQ(p.parts_visited(), 1u);
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].content_type, "text/plain; boundary=x; name=\"n.txt\"");
    EXPECT_EQ(r.parts[0].filename, "n.txt");
    EXPECT_EQ(r.log, "B[n.txt|0]D:--x\r\nbodyE;");
    EXPECT_EQ(run("text/plain; boundary=x", "").log, "B[|0]E;");
}

TEST(Multipart, LimitsAndAbort) {
    multipart_limits few;
    few.max_parts = 2;
    const std::string three =
        file_part("a", "1", "1") + file_part("b", "2", "2") + file_part("c", "3", "3") + "--XYZ--";
    const auto o = run(form_ct, three, {}, few);
    EXPECT_EQ(o.st, state::error);
    EXPECT_EQ(o.error, "too many MIME parts");
    EXPECT_EQ(o.log, "B[1|0]D:1E;B[2|0]D:2E;");

    multipart_limits shallow;
    shallow.max_depth = 1;
    std::string nest =
        "--XYZ\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
        "--b1\r\nContent-Type: multipart/mixed; boundary=b2\r\n\r\n--b2\r\n\r\nx\r\n--b2--\r\n--b1--\r\n--XYZ--";
    EXPECT_EQ(run(form_ct, nest, {}, shallow).error, "MIME parts nested too deeply");
    EXPECT_EQ(run(form_ct, nest).log, "B[|2]D:xE;");

    recorder r;
    r.abort_after = 3;
    multipart_parser p(form_ct, r);
    EXPECT_EQ(p.feed(file_part("f", "a", "too much data") + "--XYZ--"), state::error);
    EXPECT_EQ(p.error(), "aborted");
    EXPECT_EQ(p.finish(), state::error);
    EXPECT_EQ(r.log.find("E;"), std::string::npos);

    const std::string long_b(multipart_parser::max_boundary_bytes + 1, 'b');
    recorder r2;
    multipart_parser p2("multipart/form-data; boundary=" + long_b, r2);
    EXPECT_EQ(p2.feed("x"), state::error);
    EXPECT_EQ(p2.error(), "multipart boundary too long");
    const std::string max_b(multipart_parser::max_boundary_bytes, 'b');
    EXPECT_EQ(run("multipart/form-data; boundary=" + max_b, "--" + max_b + "\r\n\r\nok\r\n--" + max_b + "--").log,
              "B[|0]D:okE;");
}

TEST(Multipart, LargePartsStreamWithoutBuffering) {
    recorder r;
    multipart_parser p(form_ct, r);
    EXPECT_EQ(p.feed("--XYZ\r\nContent-Disposition: form-data; filename=big\r\n\r\n"), state::more);
    const std::string chunk(65536, 'z');
    for (int i = 0; i < 64; ++i)
        ASSERT_EQ(p.feed(chunk), state::more);
    EXPECT_EQ(r.data_bytes, 64u * chunk.size()); // handed over as it arrives
    // A long line of dashes at a line start is not held back beyond the candidate window.
    EXPECT_EQ(p.feed("\r\n" + std::string(100000, '-')), state::more);
    EXPECT_GE(r.data_bytes, 64u * chunk.size() + 100000 - 300);
    EXPECT_EQ(p.feed("\r\n--XYZ--"), state::more); // a delimiter line is only known to end at LF or the end
    EXPECT_EQ(p.finish(), state::done);
    EXPECT_EQ(r.data_bytes, 64u * chunk.size() + 2 + 100000);
}

TEST(Multipart, FinishIsIdempotent) {
    recorder r;
    multipart_parser p(form_ct, r);
    EXPECT_EQ(p.feed("--XYZ\r\n\r\nx"), state::more);
    EXPECT_EQ(p.finish(), state::done);
    EXPECT_EQ(p.finish(), state::done);
}

} // namespace
} // namespace ahttp::http
