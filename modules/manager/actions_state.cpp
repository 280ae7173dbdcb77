// State actions (spec 02 §6.2, §6.5) in their stateless forms: this daemon has no channels, devices,
// presence providers, dialplan hints or mailboxes, so every list is empty and every query answers "unknown"
// exactly as Asterisk does with nothing configured.
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/list_output.hpp"
#include "manager/permissions.hpp"

#include <fmt/format.h>

namespace ahttp::manager {
namespace {

bool core_show_channels(const std::shared_ptr<action_call>& c) {
    list_start(c->out, "Channels will follow");
    list_complete(c->out, "CoreShowChannelsComplete", 0);
    return true;
}

bool status(const std::shared_ptr<action_call>& c) {
    std::uint32_t write = c->rt->sessions.with_lock([&] { return c->sess->write_perm; });
    std::string_view variables = c->msg.get("Variables");
    // AST-2012-004: reading SHELL/EVAL through channel variables needs `system` write.
    if ((variables.find("SHELL") != std::string_view::npos || variables.find("EVAL") != std::string_view::npos) &&
        (write & perm_system) == 0) {
        c->out.error("Status Access Forbidden: Variables");
        return true;
    }
    if (!c->msg.get("Channel").empty()) {
        c->out.error("No such channel");
        return true;
    }
    list_start(c->out, "Channel status will follow");
    list_complete(c->out, "StatusComplete", 0, "Items: 0\r\n");
    return true;
}

bool device_state_list(const std::shared_ptr<action_call>& c) {
    list_start(c->out, "Device State Changes will follow");
    list_complete(c->out, "DeviceStateListComplete", 0);
    return true;
}

bool presence_state_list(const std::shared_ptr<action_call>& c) {
    list_start(c->out, "Presence State Changes will follow");
    list_complete(c->out, "PresenceStateListComplete", 0);
    return true;
}

bool extension_state_list(const std::shared_ptr<action_call>& c) {
    c->out.error("No dialplan hints are available");
    return true;
}

bool extension_state(const std::shared_ptr<action_call>& c) {
    std::string_view exten = c->msg.get("Exten");
    if (exten.empty()) {
        c->out.error("Extension not specified");
        return true;
    }
    std::string_view context = c->msg.get("Context");
    c->out.start();
    c->out.field("Message", "Extension Status");
    c->out.field("Exten", exten);
    c->out.field("Context", context.empty() ? std::string_view("default") : context);
    c->out.field("Hint", "");
    c->out.field("Status", "-1");
    c->out.field("StatusText", "Unknown");
    c->out.end();
    return true;
}

bool presence_state(const std::shared_ptr<action_call>& c) {
    std::string_view provider = c->msg.get("Provider");
    if (provider.empty()) {
        c->out.error("No provider specified");
        return true;
    }
    // No presence provider exists, so every provider is invalid.
    c->out.error(fmt::format("Invalid provider {} or provider in invalid state", provider));
    return true;
}

bool mailbox_status(const std::shared_ptr<action_call>& c) {
    std::string_view mailbox = c->msg.get("Mailbox");
    if (mailbox.empty()) {
        c->out.error("Mailbox not specified");
        return true;
    }
    c->out.start();
    c->out.field("Message", "Mailbox Status");
    c->out.field("Mailbox", mailbox);
    c->out.field("Waiting", "0");
    c->out.end();
    return true;
}

bool mailbox_count(const std::shared_ptr<action_call>& c) {
    std::string_view mailbox = c->msg.get("Mailbox");
    if (mailbox.empty()) {
        c->out.error("Mailbox not specified");
        return true;
    }
    c->out.start();
    c->out.field("Message", "Mailbox Message Count");
    c->out.field("Mailbox", mailbox);
    c->out.field("UrgMessages", "0");
    c->out.field("NewMessages", "0");
    c->out.field("OldMessages", "0");
    c->out.end();
    return true;
}

} // namespace

std::vector<action_registration> register_state_actions() {
    constexpr std::uint32_t call_reporting = perm_call | perm_reporting;
    std::vector<action_registration> r;
    r.push_back(register_builtin("CoreShowChannels", "List the active channels (there are none).",
                                 perm_system | perm_reporting, core_show_channels));
    r.push_back(register_builtin("Status", "List channel status (there are no channels).",
                                 perm_system | perm_call | perm_reporting, status));
    r.push_back(
        register_builtin("DeviceStateList", "List the cached device states.", call_reporting, device_state_list));
    r.push_back(
        register_builtin("PresenceStateList", "List the cached presence states.", call_reporting, presence_state_list));
    r.push_back(register_builtin("ExtensionStateList", "List the extension states of dialplan hints.", call_reporting,
                                 extension_state_list));
    r.push_back(
        register_builtin("ExtensionState", "Check the state of an extension.", call_reporting, extension_state));
    r.push_back(
        register_builtin("PresenceState", "Check the presence state of a provider.", call_reporting, presence_state));
    r.push_back(register_builtin("MailboxStatus", "Check whether a mailbox has waiting messages.", call_reporting,
                                 mailbox_status));
    r.push_back(register_builtin("MailboxCount", "Count the messages of a mailbox.", call_reporting, mailbox_count));
    return r;
}

} // namespace ahttp::manager
