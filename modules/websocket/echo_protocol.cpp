#include "echo_protocol.hpp"

namespace ahttp::websocket {
namespace {

class echo_handler final : public ws::session_handler {
  public:
    void on_message(ws::session& s, ws::opcode op, std::string_view payload) override {
        s.send(op, std::string(payload));
    }
};

} // namespace

ws::protocol echo_protocol() {
    ws::protocol p;
    p.name = "echo";
    // One stateless handler serves every echo session.
    auto handler = std::make_shared<echo_handler>();
    p.session_established = [handler](const std::shared_ptr<ws::session>&, const ws::upgrade_request&) {
        return std::static_pointer_cast<ws::session_handler>(handler);
    };
    return p;
}

} // namespace ahttp::websocket
