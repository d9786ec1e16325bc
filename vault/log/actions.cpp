#include "vault/log/actions.hpp"

namespace brankas {

std::string account_target(std::int64_t id) { return "account/" + std::to_string(id); }

std::optional<std::int64_t> parse_numbered_target(std::string_view target, std::string_view prefix) {
    if (!target.starts_with(prefix)) return std::nullopt;
    target.remove_prefix(prefix.size());
    if (target.empty() || target.size() > 18 || target[0] == '0') return std::nullopt;
    std::int64_t id = 0;
    for (char c : target) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + (c - '0');
    }
    return id;
}

std::optional<std::int64_t> parse_account_target(std::string_view target) { return parse_numbered_target(target, "account/"); }

} // namespace brankas
