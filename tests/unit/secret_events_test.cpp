// The typed events of secrets, rotation, import and backup: each decodes what it encodes, with
// exactly the fields docs/formats.md lists, and refuses anything else.
#include "vault/backup/backup_events.hpp"
#include "vault/import/import_events.hpp"
#include "vault/log/actions.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/secrets/secret_events.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace brankas;

namespace {

const Bytes sealed_bytes(80, 7); // a sealed box's overhead and then some

SecretSet a_set() {
    SecretSet s;
    s.account = 3;
    s.version = 2;
    s.key_version = 1;
    s.has_totp = true;
    s.reason = "kata sandi baru";
    s.sealed = sealed_bytes;
    return s;
}

ImportRecorded an_import() {
    ImportRecorded r;
    r.source.format = ImportFormat::keepassxc;
    r.source.name = "akun.csv";
    r.source.size = 1234;
    r.source.hash.fill(9);
    r.accounts = 12;
    r.units = 1;
    return r;
}

std::set<std::string> keys_of(const Event& e) {
    std::set<std::string> out;
    for (const auto& [key, value] : e.details.fields()) out.insert(key);
    return out;
}

// Decodes `e` again after encoding: the same event, field for field.
template <class Typed>
Event round_trip(const Typed& typed) {
    Event e = typed.encode();
    auto back = Typed::decode(e);
    REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
    CHECK(back->encode() == e);
    return e;
}

template <class Typed>
std::string refusal_of(const Event& e) {
    auto decoded = Typed::decode(e);
    if (decoded) return {};
    CHECK(decoded.error().code == ErrorCode::verification_failed);
    return decoded.error().message;
}

} // namespace

TEST_CASE("each event carries exactly the fields formats.md lists") {
    using Keys = std::set<std::string>;
    CHECK(keys_of(round_trip(a_set())) == Keys{"key_version", "reason", "sealed", "totp", "version"});
    CHECK(round_trip(a_set()).action == actions::secret_set);
    CHECK(round_trip(a_set()).target == "account/3");
    SecretPending pending{a_set()};
    CHECK(keys_of(round_trip(pending)) == Keys{"key_version", "reason", "sealed", "totp", "version"});
    CHECK(round_trip(pending).action == actions::secret_pending);
    CHECK(keys_of(round_trip(SecretResealed{3, 2, 4, sealed_bytes})) == Keys{"key_version", "sealed", "version"});
    CHECK(keys_of(round_trip(SecretRead{3, 2, SecretPart::totp, "kode masuk"})) == Keys{"reason", "version", "what"});
    CHECK(SecretRead{3, 2, SecretPart::totp, "kode masuk"}.encode().details.get_text("what") == "totp");
    CHECK(keys_of(round_trip(SecretConfirmed{3, 2, std::nullopt})) == Keys{"version"});
    CHECK(keys_of(round_trip(SecretConfirmed{3, 2, CompletedVersion{4, false, sealed_bytes}})) ==
          Keys{"key_version", "sealed", "totp", "version"});
    CHECK(keys_of(round_trip(SecretAborted{3, 2})) == Keys{"version"});
    CHECK(keys_of(round_trip(AccountFlagged{3, "the password is older than 180 days"})) == Keys{"reason"});
    Event imported = round_trip(an_import());
    CHECK(keys_of(imported) == Keys{"accounts", "file_bytes", "file_hash", "format", "units"});
    CHECK(imported.target == "akun.csv");
    CHECK(imported.details.get_text("format") == "keepassxc");
    Event backup = round_trip(BackupCreated{});
    CHECK(backup.action == actions::backup_create);
    CHECK(backup.target.empty());
    CHECK(backup.details.fields().empty());
}

TEST_CASE("a field an action does not list, or one of the wrong shape, is refused") {
    Event extra = a_set().encode();
    extra.details.text("note", "selipan");
    CHECK(refusal_of<SecretSet>(extra).find("has an unexpected field 'note'") != std::string::npos);

    Event flag = a_set().encode();
    flag.details.integer("totp", 2);
    CHECK(refusal_of<SecretSet>(flag).find("malformed 'totp'") != std::string::npos);

    Event tiny = a_set().encode();
    tiny.details.bytes("sealed", Bytes(48, 1));
    CHECK(refusal_of<SecretPending>(tiny).find("sealed secret of an acceptable size") != std::string::npos);

    Event part = SecretRead{3, 2, SecretPart::password, "posting"}.encode();
    part.details.text("what", "notes");
    CHECK(refusal_of<SecretRead>(part).find("unknown part of a secret") != std::string::npos);

    // A confirmation carries the version alone, or all three fields of a completed version.
    Event half = SecretConfirmed{3, 2, std::nullopt}.encode();
    half.details.integer("key_version", 4);
    CHECK(refusal_of<SecretConfirmed>(half).find("lacks its 'totp' field") != std::string::npos);

    Event no_target = SecretAborted{3, 2}.encode();
    no_target.target = "unit/35.02.01";
    CHECK(refusal_of<SecretAborted>(no_target).find("does not name an account") != std::string::npos);

    Event format = an_import().encode();
    format.details.text("format", "xlsx");
    CHECK(refusal_of<ImportRecorded>(format).find("unknown file format") != std::string::npos);
    Event none = an_import().encode();
    none.details.integer("accounts", 0);
    CHECK(refusal_of<ImportRecorded>(none).find("count out of range") != std::string::npos);
    Event short_hash = an_import().encode();
    short_hash.details.bytes("file_hash", Bytes(31, 1));
    CHECK(refusal_of<ImportRecorded>(short_hash).find("wrong length") != std::string::npos);

    Event targeted = BackupCreated{}.encode();
    targeted.target = "somewhere";
    CHECK(refusal_of<BackupCreated>(targeted).find("has a target its action does not take") != std::string::npos);
}

TEST_CASE("the names of a read's part and an import's format") {
    CHECK(secret_part_name(SecretPart::password) == "password");
    CHECK(secret_part_name(SecretPart::totp) == "totp");
    CHECK(parse_secret_part("totp") == SecretPart::totp);
    CHECK_FALSE(parse_secret_part("TOTP"));
    CHECK(import_format_name(ImportFormat::spreadsheet) == "csv");
    CHECK(import_format_name(ImportFormat::keepassxc) == "keepassxc");
    CHECK(parse_import_format("csv") == ImportFormat::spreadsheet);
    CHECK_FALSE(parse_import_format("spreadsheet"));
}
