// Sub-districts as an admin manages them: added with their first key, listed with who holds
// their current key, and rotated to a fresh key by hand.
#include "vault/units/units.hpp"

#include "vault/field_rules.hpp"
#include "vault/session.hpp"
#include "vault/unit_sight.hpp"
#include "vault/units/unit_tables.hpp"

namespace brankas {

Result<UnitInfo> add_unit(Session& session, std::string_view code, std::string_view name) {
    BRANKAS_TRY(check_unit_fields(code, name));
    // Spaces are no name (on the live path: the rule the replay shares stays as it was).
    if (is_blank(name))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("the sub-district name must be 1 to %s bytes of printable text"),
                            {std::to_string(max_unit_name)});
    // Nor is a name that prints as another (live only, as above).
    BRANKAS_TRY(check_no_hidden_mark(name, i18n::tr_noop("the sub-district name")));
    BRANKAS_TRY(session.permit(policy::Action::manage_units, code));
    return session.write([&](Change& change) -> Result<UnitInfo> {
        Statement exists = BRANKAS_TRY(change.db().prepare("SELECT name FROM units WHERE code = ?"));
        exists.bind(1, code);
        if (BRANKAS_TRY(exists.step()))
            return fail_phrased(ErrorCode::conflict, i18n::tr_noop("sub-district %1$s already exists (%2$s)"),
                                {std::string(code), exists.column_text(0)});
        exists.reset();
        return UnitInfo{std::string(code), std::string(name), 1, 0, BRANKAS_TRY(append_unit(change, code, name))};
    });
}

Status rotate_unit(Session& session, std::string_view code, std::string_view reason) {
    // Blank first: a reason of spaces and invisible characters is asked for, not corrected.
    if (!is_blank(reason)) BRANKAS_TRY(check_typed_line(reason, i18n::tr_noop("a reason")));
    if (is_blank(reason) || reason.size() > max_reason || !is_printable_utf8(reason))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("say why the key is rotated: 1 to %s bytes of printable text"),
                            {std::to_string(max_reason)});
    BRANKAS_TRY(session.permit(policy::Action::manage_people, code));
    return session.write([&](Change& change) -> Status {
        if (!BRANKAS_TRY(unit_exists(change.db(), code))) return fail_phrased(ErrorCode::not_found, i18n::tr_noop("no sub-district %s"),
                                                                              {i18n::echo(code)});
        // Whoever asks for a rotation by hand suspects the key: a fresh pair, not the standby.
        return rotate_unit_key(change, code, reason, StandbyChoice::discard);
    });
}

// A grant ended after the unit's key last changed: the person it ended still holds the key.
constexpr const char* owing_rotation_where =
    " FROM units u WHERE EXISTS (SELECT 1 FROM grants g WHERE g.unit = u.code AND g.revoked_seq > u.updated_seq)";

Result<std::vector<std::string>> units_owing_rotation(Session& session) {
    std::vector<std::string> out;
    BRANKAS_TRY(for_each_unit_owing_rotation(session, std::nullopt, [&out](std::string_view code) -> Status {
        out.emplace_back(code);
        return {};
    }));
    return out;
}

Result<std::int64_t> count_units_owing_rotation(Session& session) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "units"));
    return session.db().query_int((std::string("SELECT count(*)") + owing_rotation_where).c_str());
}

Status for_each_unit_owing_rotation(Session& session, std::optional<std::size_t> first,
                                    const std::function<Status(std::string_view code)>& each) {
    BRANKAS_TRY(session.permit(policy::Action::read_metadata, "units"));
    Statement s = BRANKAS_TRY(session.db().prepare(std::string("SELECT code") + owing_rotation_where + " ORDER BY code LIMIT ?"));
    s.bind(1, first ? static_cast<std::int64_t>(*first) : std::int64_t{-1}); // -1: no limit
    while (BRANKAS_TRY(s.step())) BRANKAS_TRY(each(s.column_text(0)));
    return {};
}

Result<std::vector<UnitInfo>> list_units(Session& session) {
    std::vector<UnitInfo> out;
    BRANKAS_TRY(for_each_unit(session, [&](const UnitInfo& u) -> Status {
        out.push_back(u);
        return {};
    }));
    return out;
}

Status for_each_unit(Session& session, const std::function<Status(const UnitInfo&)>& row) {
    Database& db = session.db();
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session)); // a custodian: their own sub-districts
    Statement s = BRANKAS_TRY(db.prepare(
        "SELECT code, name, key_version, (SELECT count(*) FROM accounts a WHERE a.unit = u.code) FROM units u ORDER BY code"));
    Statement h = BRANKAS_TRY(db.prepare(
        "SELECT k.principal FROM unit_keys k JOIN units u ON u.code = k.unit AND u.key_version = k.key_version WHERE k.unit = ? "
        "ORDER BY k.principal"));
    UnitInfo u;
    while (BRANKAS_TRY(s.step())) {
        u = {s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3), {}};
        if (!BRANKAS_TRY(sight.sees(u.code))) continue;
        h.reset();
        h.bind(1, u.code);
        while (BRANKAS_TRY(h.step())) u.key_holders.push_back(h.column_text(0));
        BRANKAS_TRY(row(u));
    }
    return {};
}

Result<std::map<std::string, std::string, std::less<>>> unit_names(Session& session, const std::set<std::string>& codes) {
    std::map<std::string, std::string, std::less<>> out;
    if (codes.empty()) return out;
    UnitSight sight = BRANKAS_TRY(UnitSight::of(session));
    Statement s = BRANKAS_TRY(session.db().prepare("SELECT name FROM units WHERE code = ?"));
    for (const std::string& code : codes) {
        if (!BRANKAS_TRY(sight.sees(code))) continue;
        s.reset();
        s.bind(1, code);
        if (BRANKAS_TRY(s.step())) out.emplace(code, s.column_text(0));
    }
    return out;
}

} // namespace brankas
