#include "vault/units/unit_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Bytes unit_key_bytes(std::span<const std::uint8_t> b) { return Bytes(b.begin(), b.end()); }

Event on_unit(std::string_view action, std::string_view unit) {
    Event e;
    e.action = std::string(action);
    e.target = std::string(unit);
    return e;
}

} // namespace

Event UnitAdded::encode() const {
    Event e = on_unit(actions::unit_add, unit);
    e.details.text("name", name).bytes("public_key", unit_key_bytes(public_key));
    return e;
}

Result<UnitAdded> UnitAdded::decode(const Event& e) {
    EventFields f(e);
    UnitAdded u{e.target, BRANKAS_TRY(f.text("name")), BRANKAS_TRY(f.public_key("public_key"))};
    BRANKAS_TRY(f.finish());
    return u;
}

Event UnitKeySealed::encode() const {
    Event e = on_unit(actions::unit_key, unit);
    e.details.text("principal", principal).integer("key_version", key_version).bytes("sealed", unit_key_bytes(sealed));
    return e;
}

Result<UnitKeySealed> UnitKeySealed::decode(const Event& e) {
    EventFields f(e);
    UnitKeySealed k;
    k.unit = e.target;
    k.principal = BRANKAS_TRY(f.text("principal"));
    k.key_version = BRANKAS_TRY(f.integer("key_version"));
    k.sealed = BRANKAS_TRY(f.array<unit_key_sealed_size>("sealed"));
    BRANKAS_TRY(f.finish());
    return k;
}

Event UnitRotated::encode() const {
    Event e = on_unit(actions::unit_rotate, unit);
    e.details.integer("key_version", key_version).text("reason", reason);
    if (public_key) e.details.bytes("public_key", unit_key_bytes(*public_key));
    return e;
}

Result<UnitRotated> UnitRotated::decode(const Event& e) {
    EventFields f(e);
    UnitRotated r;
    r.unit = e.target;
    r.key_version = BRANKAS_TRY(f.integer("key_version"));
    r.reason = BRANKAS_TRY(f.text("reason"));
    r.public_key = BRANKAS_TRY(f.optional_array<public_key_size>("public_key"));
    BRANKAS_TRY(f.finish());
    return r;
}

Event UnitStandbyPublished::encode() const {
    Event e = on_unit(actions::unit_standby, unit);
    e.details.bytes("public_key", unit_key_bytes(public_key)).integer("key_version", key_version);
    return e;
}

Result<UnitStandbyPublished> UnitStandbyPublished::decode(const Event& e) {
    EventFields f(e);
    UnitStandbyPublished s{e.target, BRANKAS_TRY(f.integer("key_version")), BRANKAS_TRY(f.public_key("public_key"))};
    BRANKAS_TRY(f.finish());
    return s;
}

} // namespace brankas
