// astdb actions (spec 02 §6.4): DBPut, DBGet, DBDel, DBDelTree, DBGetTree on the daemon's database
// (include/ahttp/astdb.hpp). The texts differ in small ways per action (a trailing period or not): they are
// Asterisk's and kept exactly.
#include "ahttp/astdb.hpp"
#include "manager/action_registry.hpp"
#include "manager/dispatch.hpp"
#include "manager/list_output.hpp"
#include "manager/permissions.hpp"

namespace ahttp::manager {
namespace {

bool db_put(const std::shared_ptr<action_call>& c) {
    std::string_view family = c->msg.get("Family");
    std::string_view key = c->msg.get("Key");
    if (family.empty())
        c->out.error("No family specified");
    else if (key.empty())
        c->out.error("No key specified");
    else if (database::put(family, key, c->msg.get("Val")))
        c->out.ack("Updated database successfully");
    else
        c->out.error("Failed to update entry");
    return true;
}

bool db_get(const std::shared_ptr<action_call>& c) {
    std::string_view family = c->msg.get("Family");
    std::string_view key = c->msg.get("Key");
    if (family.empty()) {
        c->out.error("No family specified.");
        return true;
    }
    if (key.empty()) {
        c->out.error("No key specified.");
        return true;
    }
    auto value = database::get(family, key);
    if (!value) {
        c->out.error("Database entry not found");
        return true;
    }
    list_start(c->out, "Result will follow");
    std::string item = "Event: DBGetResponse\r\nFamily: ";
    item.append(family).append("\r\nKey: ").append(key).append("\r\nVal: ").append(*value).append("\r\n");
    item.append(action_id_line(c->out)).append("\r\n");
    c->out.append(item);
    list_complete(c->out, "DBGetComplete", 1);
    return true;
}

bool db_del(const std::shared_ptr<action_call>& c) {
    std::string_view family = c->msg.get("Family");
    std::string_view key = c->msg.get("Key");
    if (family.empty())
        c->out.error("No family specified.");
    else if (key.empty())
        c->out.error("No key specified.");
    else if (database::del(family, key))
        c->out.ack("Key deleted successfully");
    else
        c->out.error("Database entry could not be deleted");
    return true;
}

bool db_del_tree(const std::shared_ptr<action_call>& c) {
    std::string_view family = c->msg.get("Family");
    if (family.empty()) {
        c->out.error("No family specified.");
        return true;
    }
    int removed = database::deltree(family, c->msg.get("Key"));
    if (removed < 0)
        c->out.error("Database unavailable");
    else if (removed == 0)
        c->out.error("Database entry not found");
    else
        c->out.ack("Key tree deleted successfully");
    return true;
}

// [FIX] §6.4: the tree is matched literally (astdb::gettree never uses LIKE), so `_` and `%` are ordinary.
bool db_get_tree(const std::shared_ptr<action_call>& c) {
    std::string_view family = c->msg.get("Family");
    std::string_view key = c->msg.get("Key");
    // A Key without Family names no tree: Asterisk ignores the key then and lists everything.
    auto entries = database::gettree(family, family.empty() ? std::string_view() : key);
    list_start(c->out, "Result will follow");
    std::string id = action_id_line(c->out);
    for (const auto& [full_key, value] : entries) {
        std::string item = "Event: DBGetTreeResponse\r\nKey: ";
        item.append(full_key).append("\r\nVal: ").append(value).append("\r\n").append(id).append("\r\n");
        c->out.append(item);
    }
    list_complete(c->out, "DBGetTreeComplete", entries.size());
    return true;
}

} // namespace

std::vector<action_registration> register_database_actions() {
    std::vector<action_registration> r;
    r.push_back(register_builtin("DBPut", "Put a value into the astdb.", perm_system, db_put));
    r.push_back(register_builtin("DBGet", "Get a value from the astdb.", perm_system | perm_reporting, db_get));
    r.push_back(register_builtin("DBDel", "Delete an astdb key.", perm_system, db_del));
    r.push_back(register_builtin("DBDelTree", "Delete an astdb family or key tree.", perm_system, db_del_tree));
    r.push_back(register_builtin("DBGetTree", "List the astdb entries of a family or key tree.",
                                 perm_system | perm_reporting, db_get_tree));
    return r;
}

} // namespace ahttp::manager
