// List framing shared by the list actions (spec 02 §7.1): the `EventList: start` acknowledgement, the ActionID
// line items carry, and the `...Complete` block. Items themselves are written by each action, because where
// their ActionID line goes differs per action (§1.6 DBGetTree puts it last, DeviceStateList second).
#pragma once

#include "ahttp/manager.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ahttp::manager {

/// "ActionID: <id>\r\n" when the request had a non-empty ActionID, else "".
inline std::string action_id_line(const response_writer& out) {
    return out.action_id().empty() ? std::string() : "ActionID: " + out.action_id() + "\r\n";
}

/// "Response: Success", [ActionID], "EventList: start", "Message: <message>", blank line.
inline void list_start(response_writer& out, std::string_view message) {
    out.start();
    out.field("EventList", "start");
    out.field("Message", message);
    out.end();
}

/// "Event: <event>", [ActionID], "EventList: Complete", "ListItems: <items>", then `extra` (whole
/// `Name: value\r\n` lines, e.g. Status's `Items:`), blank line.
inline void list_complete(response_writer& out, std::string_view event, std::size_t items,
                          std::string_view extra = {}) {
    std::string text = "Event: ";
    text.append(event).append("\r\n").append(action_id_line(out));
    text.append("EventList: Complete\r\nListItems: ").append(std::to_string(items)).append("\r\n");
    text.append(extra).append("\r\n");
    out.append(text);
}

} // namespace ahttp::manager
