#include "vault/checkouts/checkout_tables.hpp"

namespace brankas {

Result<std::optional<OpenCheckout>> open_checkout(Database& db, std::int64_t account) {
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT seq, holder, reason, until_us, break_glass FROM checkouts WHERE account = ? AND ended_seq IS NULL"));
    s.bind(1, account);
    if (!BRANKAS_TRY(s.step())) return std::optional<OpenCheckout>{};
    return std::optional<OpenCheckout>(OpenCheckout{s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3),
                                                    s.column_int(4) != 0});
}

std::optional<policy::Holder> current_holder(const std::optional<OpenCheckout>& open, std::int64_t now_us) {
    if (!open || open->until_us <= now_us) return std::nullopt;
    return policy::Holder{open->holder, open->until_us};
}

} // namespace brankas
