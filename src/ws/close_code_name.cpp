// Spec 03 §4.7: the names logs and the CLI give to status codes.
#include "ahttp/websocket.hpp"

namespace ahttp::ws {

std::string_view close_code_name(std::uint16_t code) noexcept {
    switch (code) {
    case 1000:
        return "Normal";
    case 1001:
        return "Going away";
    case 1002:
        return "Protocol error";
    case 1003:
        return "Unsupported data";
    case 1004:
    case 1005:
    case 1006:
        return "reserved 100x";
    case 1007:
        return "Invalid frame";
    case 1008:
        return "Policy violation";
    case 1009:
        return "Data too big";
    case 1010:
        return "Mandatory extension";
    case 1011:
        return "Internal error";
    case 1012:
    case 1013:
        return "reserved 101x";
    case 1014:
        return "Bad gateway";
    case 1015:
        return "reserved 1015";
    default:
        return "Unknown";
    }
}

} // namespace ahttp::ws
