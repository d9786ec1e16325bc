#include "vault/secrets/secret_events.hpp"

#include "vault/accounts/account_events.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/log/actions.hpp"
#include "vault/secrets/secret_tables.hpp"

namespace brankas {

Result<Bytes> sealed_secret_field(EventFields& f) {
    Bytes sealed = BRANKAS_TRY(f.bytes("sealed"));
    // An empty payload still seals to more than the box's overhead; a payload is bounded.
    if (sealed.size() <= sealed_box_overhead || sealed.size() > max_sealed_secret)
        return f.refuse("lacks a sealed secret of an acceptable size");
    return sealed;
}

Event encode_sealed_version(std::string_view action, const SealedVersion& v) {
    Event e;
    e.action = std::string(action);
    e.target = account_target(v.account);
    e.details.integer("version", v.version)
        .integer("key_version", v.key_version)
        .integer("totp", v.has_totp ? 1 : 0)
        .text("reason", v.reason)
        .bytes("sealed", v.sealed);
    return e;
}

Result<SealedVersion> decode_sealed_version(const Event& e) {
    EventFields f(e);
    SealedVersion v = BRANKAS_TRY(decode_sealed_fields(e, f));
    BRANKAS_TRY(f.finish());
    return v;
}

Result<SealedVersion> decode_sealed_fields(const Event& e, EventFields& f) {
    SealedVersion v;
    v.account = BRANKAS_TRY(account_of_target(e));
    v.version = BRANKAS_TRY(f.integer("version"));
    v.key_version = BRANKAS_TRY(f.integer("key_version"));
    v.has_totp = BRANKAS_TRY(f.flag("totp"));
    v.reason = BRANKAS_TRY(f.text("reason"));
    v.sealed = BRANKAS_TRY(sealed_secret_field(f));
    return v;
}

Event SecretSet::encode() const { return encode_sealed_version(actions::secret_set, *this); }

Result<SecretSet> SecretSet::decode(const Event& e) { return SecretSet{BRANKAS_TRY(decode_sealed_version(e))}; }

Event SecretResealed::encode() const {
    Event e;
    e.action = std::string(actions::secret_reseal);
    e.target = account_target(account);
    e.details.integer("version", version).integer("key_version", key_version).bytes("sealed", sealed);
    return e;
}

Result<SecretResealed> SecretResealed::decode(const Event& e) {
    EventFields f(e);
    SecretResealed r;
    r.account = BRANKAS_TRY(account_of_target(e));
    r.version = BRANKAS_TRY(f.integer("version"));
    r.key_version = BRANKAS_TRY(f.integer("key_version"));
    r.sealed = BRANKAS_TRY(sealed_secret_field(f));
    BRANKAS_TRY(f.finish());
    return r;
}

std::string_view secret_part_name(SecretPart part) noexcept {
    switch (part) {
    case SecretPart::password: return "password";
    case SecretPart::totp: return "totp";
    }
    return "";
}

std::optional<SecretPart> parse_secret_part(std::string_view name) noexcept {
    for (SecretPart p : {SecretPart::password, SecretPart::totp})
        if (secret_part_name(p) == name) return p;
    return std::nullopt;
}

Event SecretRead::encode() const {
    Event e;
    e.action = std::string(actions::secret_read);
    e.target = account_target(account);
    e.details.integer("version", version).text("what", std::string(secret_part_name(what))).text("reason", reason);
    // Written only when set, so a read without break-glass has the bytes it always had.
    if (break_glass) e.details.integer("break_glass", 1);
    return e;
}

Result<SecretRead> SecretRead::decode(const Event& e) {
    EventFields f(e);
    SecretRead r;
    r.account = BRANKAS_TRY(account_of_target(e));
    r.version = BRANKAS_TRY(f.integer("version"));
    auto what = parse_secret_part(BRANKAS_TRY(f.text("what")));
    if (!what) return f.refuse("reads an unknown part of a secret");
    r.what = *what;
    r.reason = BRANKAS_TRY(f.text("reason"));
    // Present only as 1: one encoding for each meaning.
    auto glass = BRANKAS_TRY(f.optional_integer("break_glass"));
    if (glass && *glass != 1) return f.refuse("has a 'break_glass' field other than 1");
    r.break_glass = glass.has_value();
    BRANKAS_TRY(f.finish());
    return r;
}

} // namespace brankas
