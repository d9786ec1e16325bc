#include "vault/enforcement/enforcement_events.hpp"
#include "vault/own_reasons.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/encoding.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"
#include "vault/secrets/secret_tables.hpp"

#include <algorithm>
#include <limits>

namespace brankas {

namespace {

constexpr std::string_view fresh_prefix = "fresh.";
// A version number fits the tables' signed 64-bit integers.
constexpr std::uint64_t max_version = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

Event on_unit(std::string_view action, const std::string& unit) {
    Event e;
    e.action = std::string(action);
    e.target = unit;
    return e;
}

} // namespace

std::string fresh_field(std::int64_t account) { return std::string(fresh_prefix) + std::to_string(account); }

std::size_t fresh_field_bytes(std::int64_t account, std::size_t sealed_size) {
    // str8 key, u8 type, u32 length, then the value.
    return 1 + fresh_field(account).size() + 1 + 4 + fresh_value_header + sealed_size;
}

bool fresh_password_fits(std::size_t carried, std::size_t carried_bytes, std::size_t field_bytes) {
    return carried < max_fresh_passwords && carried_bytes + field_bytes <= max_event_body / 2;
}

std::string fresh_password_reason(std::string_view term) { return own_reason(OwnReason::end_of_term, {term}); }

Event UnitDeactivated::encode() const {
    Event e = on_unit(actions::unit_deactivate, unit);
    e.details.text("term", term).integer("accounts", accounts).text("custodians", custodians);
    if (key_version) e.details.integer("key_version", *key_version);
    for (const FreshPassword& f : fresh) {
        ByteWriter value;
        value.u64(static_cast<std::uint64_t>(f.version)).u64(static_cast<std::uint64_t>(f.key_version)).raw(f.sealed);
        e.details.bytes(fresh_field(f.account), std::move(value).take());
    }
    return e;
}

Result<UnitDeactivated> UnitDeactivated::decode(const Event& e) {
    EventFields f(e);
    UnitDeactivated u;
    u.unit = e.target;
    u.term = BRANKAS_TRY(f.text("term"));
    u.accounts = BRANKAS_TRY(f.integer("accounts"));
    u.custodians = BRANKAS_TRY(f.text("custodians"));
    u.key_version = BRANKAS_TRY(f.optional_integer("key_version"));
    // The fresh passwords: every field named fresh.<id>, which sort together (no other field of
    // the action starts so); anything else under the prefix, or a value of another shape, is refused.
    const auto& fields = e.details.fields();
    for (auto it = fields.lower_bound(fresh_prefix); it != fields.end() && std::string_view(it->first).starts_with(fresh_prefix); ++it) {
        const std::string& key = it->first;
        FreshPassword fresh;
        auto account = parse_numbered_target(key, fresh_prefix);
        if (!account) return f.refuse(i18n::tr_noop("has a fresh password for no account: '%s'"), {key});
        fresh.account = *account;
        Bytes value = BRANKAS_TRY(f.bytes(key));
        if (value.size() <= fresh_value_header + sealed_box_overhead || value.size() > fresh_value_header + max_sealed_secret)
            return f.refuse(i18n::tr_noop("has a fresh password of an unacceptable size: '%s'"), {key});
        ByteReader in(value);
        const std::uint64_t version = in.u64().value_or(0), key_version = in.u64().value_or(0);
        if (version == 0 || version > max_version || key_version == 0 || key_version > max_version)
            return f.refuse(i18n::tr_noop("has a fresh password of an impossible version: '%s'"), {key});
        fresh.version = static_cast<std::int64_t>(version);
        fresh.key_version = static_cast<std::int64_t>(key_version);
        fresh.sealed.assign(value.begin() + fresh_value_header, value.end());
        u.fresh.push_back(std::move(fresh));
    }
    if (u.fresh.size() > max_fresh_passwords) return f.refuse(i18n::tr_noop("carries more fresh passwords than a body may"));
    // The map orders keys as bytes (fresh.10 before fresh.9): the list is by account.
    std::sort(u.fresh.begin(), u.fresh.end(), [](const FreshPassword& a, const FreshPassword& b) { return a.account < b.account; });
    BRANKAS_TRY(f.finish());
    return u;
}

Event UnitReactivated::encode() const {
    Event e = on_unit(actions::unit_reactivate, unit);
    e.details.text("term", term).integer("accounts", accounts).integer("unfinished_checklists", unfinished_checklists);
    return e;
}

Result<UnitReactivated> UnitReactivated::decode(const Event& e) {
    EventFields f(e);
    UnitReactivated u;
    u.unit = e.target;
    u.term = BRANKAS_TRY(f.text("term"));
    u.accounts = BRANKAS_TRY(f.integer("accounts"));
    u.unfinished_checklists = BRANKAS_TRY(f.integer("unfinished_checklists"));
    BRANKAS_TRY(f.finish());
    return u;
}

Event ChecklistTicked::encode() const {
    Event e;
    e.action = std::string(actions::checklist_tick);
    e.target = account_target(account);
    e.details.text("step", step).text("note", note);
    if (version) e.details.integer("version", *version); // absent in ticks written before the field
    return e;
}

Result<ChecklistTicked> ChecklistTicked::decode(const Event& e) {
    EventFields f(e);
    ChecklistTicked t;
    t.account = BRANKAS_TRY(account_of_target(e));
    t.step = BRANKAS_TRY(f.text("step"));
    t.note = BRANKAS_TRY(f.text("note"));
    t.version = BRANKAS_TRY(f.optional_integer("version"));
    BRANKAS_TRY(f.finish());
    return t;
}

} // namespace brankas
