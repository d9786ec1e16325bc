#include "vault/people/people_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Bytes person_key_bytes(std::span<const std::uint8_t> b) { return Bytes(b.begin(), b.end()); }

Event on_principal(std::string_view action, std::string_view name) {
    Event e;
    e.action = std::string(action);
    e.target = std::string(name);
    return e;
}

// user.grant and user.revoke: a custodian and one sub-district.
template <class Grant>
Result<Grant> decode_grant(const Event& e) {
    EventFields f(e);
    Grant g{e.target, BRANKAS_TRY(f.text("unit"))};
    BRANKAS_TRY(f.finish());
    return g;
}

// The optional fields of a person's record, in the details (each only when given).
void put_record(Event& e, const PersonRecord& r) {
    if (r.full_name) e.details.text("full_name", *r.full_name);
    if (r.nip) e.details.text("nip", *r.nip);
    if (r.position) e.details.text("position", *r.position);
}

Result<PersonRecord> read_record(EventFields& f) {
    PersonRecord r;
    r.full_name = BRANKAS_TRY(f.optional_text("full_name"));
    r.nip = BRANKAS_TRY(f.optional_text("nip"));
    r.position = BRANKAS_TRY(f.optional_text("position"));
    return r;
}

} // namespace

Event VaultCreated::encode() const {
    Event e;
    e.action = std::string(actions::vault_create);
    e.details.text("institution", institution)
        .bytes("vault_id", person_key_bytes(vault_id))
        .text("role", "admin")
        .bytes("signing_key", person_key_bytes(signing_key))
        .bytes("box_key", person_key_bytes(box_key));
    return e;
}

Result<VaultCreated> VaultCreated::decode(const Event& e) {
    EventFields f(e);
    VaultCreated v;
    v.institution = BRANKAS_TRY(f.text("institution"));
    v.vault_id = BRANKAS_TRY(f.array<vault_id_size>("vault_id"));
    if (BRANKAS_TRY(f.text("role")) != "admin") return f.refuse(i18n::tr_noop("introduces a first user who is not an admin"));
    v.signing_key = BRANKAS_TRY(f.public_key("signing_key"));
    v.box_key = BRANKAS_TRY(f.public_key("box_key"));
    BRANKAS_TRY(f.no_target());
    BRANKAS_TRY(f.finish());
    return v;
}

Event UserAdded::encode() const {
    Event e = on_principal(actions::user_add, name);
    e.details.text("role", role).bytes("signing_key", person_key_bytes(signing_key)).bytes("box_key", person_key_bytes(box_key));
    if (expires_us) e.details.integer("expires_us", *expires_us);
    if (slot_hash) e.details.bytes("slot_hash", person_key_bytes(*slot_hash));
    put_record(e, record);
    return e;
}

Result<UserAdded> UserAdded::decode(const Event& e) {
    EventFields f(e);
    UserAdded u;
    u.name = e.target;
    u.role = BRANKAS_TRY(f.text("role"));
    u.signing_key = BRANKAS_TRY(f.public_key("signing_key"));
    u.box_key = BRANKAS_TRY(f.public_key("box_key"));
    u.expires_us = BRANKAS_TRY(f.optional_integer("expires_us"));
    u.slot_hash = BRANKAS_TRY(f.optional_array<hash_size>("slot_hash"));
    u.record = BRANKAS_TRY(read_record(f));
    BRANKAS_TRY(f.finish());
    return u;
}

Event UserEdited::encode() const {
    Event e = on_principal(actions::user_edit, name);
    put_record(e, record);
    return e;
}

Result<UserEdited> UserEdited::decode(const Event& e) {
    EventFields f(e);
    UserEdited u;
    u.name = e.target;
    u.record = BRANKAS_TRY(read_record(f));
    BRANKAS_TRY(f.finish());
    return u;
}

Event UserEnrolled::encode() const {
    Event e = on_principal(actions::user_enroll, name);
    e.details.bytes("signing_key", person_key_bytes(signing_key)).bytes("box_key", person_key_bytes(box_key));
    if (slot_hash) e.details.bytes("slot_hash", person_key_bytes(*slot_hash));
    return e;
}

Result<UserEnrolled> UserEnrolled::decode(const Event& e) {
    EventFields f(e);
    UserEnrolled u{e.target, BRANKAS_TRY(f.public_key("signing_key")), BRANKAS_TRY(f.public_key("box_key")),
                   BRANKAS_TRY(f.optional_array<hash_size>("slot_hash"))};
    BRANKAS_TRY(f.finish());
    return u;
}

Event UserGranted::encode() const {
    Event e = on_principal(actions::user_grant, name);
    e.details.text("unit", unit);
    return e;
}

Result<UserGranted> UserGranted::decode(const Event& e) { return decode_grant<UserGranted>(e); }

Event UserRevoked::encode() const {
    Event e = on_principal(actions::user_revoke, name);
    e.details.text("unit", unit);
    return e;
}

Result<UserRevoked> UserRevoked::decode(const Event& e) { return decode_grant<UserRevoked>(e); }

Event UserDisabled::encode() const {
    Event e = on_principal(actions::user_disable, name);
    if (rekey) e.details.integer("store_generation", rekey->generation).bytes("store_key_check", person_key_bytes(rekey->check));
    if (reason) e.details.text("reason", *reason);
    if (request) e.details.integer("request", *request);
    return e;
}

Result<UserDisabled> UserDisabled::decode(const Event& e) {
    EventFields f(e);
    UserDisabled d;
    d.name = e.target;
    auto generation = BRANKAS_TRY(f.optional_integer("store_generation"));
    auto check = BRANKAS_TRY(f.optional_array<hash_size>("store_key_check"));
    if (generation.has_value() != check.has_value()) return f.refuse(i18n::tr_noop("announces a store key without its generation or its check"));
    if (generation) d.rekey = StoreKeyAnnounced{*generation, *check};
    d.reason = BRANKAS_TRY(f.optional_text("reason"));
    d.request = BRANKAS_TRY(f.optional_integer("request"));
    if (d.request && (*d.request <= 0 || !d.rekey)) return f.refuse(i18n::tr_noop("names a request without a re-key to use it for"));
    BRANKAS_TRY(f.finish());
    return d;
}

Event PassphraseChanged::encode() const {
    Event e = on_principal(actions::user_passwd, name);
    if (slot_hash) e.details.bytes("slot_hash", person_key_bytes(*slot_hash));
    return e;
}

Result<PassphraseChanged> PassphraseChanged::decode(const Event& e) {
    EventFields f(e);
    PassphraseChanged p{e.target, BRANKAS_TRY(f.optional_array<hash_size>("slot_hash"))};
    BRANKAS_TRY(f.finish());
    return p;
}

} // namespace brankas
