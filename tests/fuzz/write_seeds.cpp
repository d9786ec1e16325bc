// Writes the seed corpus of every fuzz target (tests/fuzz/corpus/TARGET/NAME): small, valid
// inputs made with the code that writes the real files, so each target starts where the
// parser does its work. The corpus is committed; run this again when a format changes:
//   build-fuzz/tests/fuzz/brankas_fuzz_seeds tests/fuzz/corpus tests/fixtures/keepassxc/export.csv
#include "policy/document.hpp"
#include "vault/accounts/account_events.hpp"
#include "vault/backup/backup_bundle.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/keyring.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/log/event.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/secrets/secret_events.hpp"
#include "vault/secrets/secret_payload.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

using namespace brankas;
namespace fs = std::filesystem;

namespace {

fs::path corpus_root;

void seed(const std::string& target, const std::string& name, ByteView bytes) {
    fs::create_directories(corpus_root / target);
    std::ofstream out(corpus_root / target / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
void seed(const std::string& target, const std::string& name, std::string_view text) { seed(target, name, as_bytes(text)); }
// A seed behind a one-byte mode, for the targets that read several formats.
void seed(const std::string& target, const std::string& name, std::uint8_t mode, ByteView bytes) {
    Bytes b{mode};
    b.insert(b.end(), bytes.begin(), bytes.end());
    seed(target, name, b);
}

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "write_seeds: %s: %s\n", what, r.error().message.c_str());
        std::exit(1);
    }
    return std::move(*r);
}

SecretBytes counting_bytes(std::size_t n, std::uint8_t start) {
    SecretBytes s(n);
    for (std::size_t i = 0; i < n; ++i) s.data()[i] = static_cast<std::uint8_t>(start + i);
    return s;
}

const VaultId vault_id{0x35, 0x02, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};

Bytes keyring_file() {
    Keyring k(vault_id);
    SlotSecrets secrets{counting_bytes(32, 1), counting_bytes(32, 40), counting_bytes(32, 80), 1};
    k.put(must(k.seal_with_key("enforcer", SlotKind::keyfile, 1'700'000'000'000'000, counting_bytes(32, 9), secrets), "key slot"));
    // The smallest Argon2id limits libsodium takes: the seed is about the bytes, not the cost.
    KdfLimits tiny{1, 8192};
    k.put(must(k.seal_with_passphrase("admin", SlotKind::passphrase, 1'700'000'000'000'000, 0, "kuda-lari-di-sawah-hijau", tiny, secrets),
               "passphrase slot"));
    BoxKeyPair box = BoxKeyPair::from_secret(secrets.box_secret);
    k.put_envelope(k.seal_store_key(slot_id_for(vault_id, "admin"), 2, counting_bytes(32, 120), box.public_key()));
    return k.serialize();
}

void keyring_seeds() {
    seed("keyring", "two-slots-one-envelope", keyring_file());
    seed("keyring", "empty", Keyring(vault_id).serialize());
}

// A typed event's body, as the log holds it.
Bytes body_of(Event e, std::uint64_t seq, const char* actor) {
    e.seq = seq;
    e.time_us = 1'700'000'000'000'000 + static_cast<std::int64_t>(seq) * 1'000'000;
    e.actor = actor;
    return must(encode_event(e), "event");
}

void event_seeds() {
    Event e{1, 1'700'000'000'000'000, "admin", "vault.create", "Bawaslu Kabupaten Ponorogo", {}};
    e.details.text("institution", "Bawaslu Kabupaten Ponorogo").integer("kdf_ops", 3).bytes("public_key", Bytes(32, 7));
    seed("event", "vault-create", must(encode_event(e), "event"));
    seed("event", "no-details", must(encode_event(Event{3, 5, "enforcer", "enforce.run", "", {}}), "event"));
    seed("event", "account-add", body_of(AccountAdded{7, "35.02.01", "instagram", "panwascam.ponorogo", "a@example.org", "+628123", ""}.encode(), 40, "admin"));
    seed("event", "account-edit", body_of(AccountEdited{7, std::nullopt, std::nullopt, std::string(""), std::string("+6281"), std::nullopt}.encode(), 41, "admin"));
    seed("event", "account-archive", body_of(AccountArchived{7}.encode(), 42, "admin"));
    seed("event", "checkout", body_of(CheckoutTaken{7, 2, 1'700'007'200'000'000, true, "unggah hasil pengawasan"}.encode(), 43, "operator1"));
    seed("event", "checkin", body_of(CheckoutReturned{7}.encode(), 44, "operator1"));
    seed("event", "checkout-expire", body_of(CheckoutExpired{7}.encode(), 45, "enforcer"));
    seed("event", "secret-set", body_of(SecretSet{7, 3, 2, true, "ganti berkala", Bytes(120, 0x42)}.encode(), 46, "admin"));
    // Three fresh passwords, one of them under a key that sorts apart (fresh.10 before fresh.9).
    seed("event", "unit-deactivate-fresh",
         body_of(UnitDeactivated{"35.02.01", "Pemilu 2029", 3, "ani, budi", 2, {{9, 2, 2, Bytes(97, 0x43)}, {10, 4, 2, Bytes(97, 0x44)}, {11, 1, 2, Bytes(97, 0x45)}}}
                     .encode(),
                 47, "enforcer"));
}

void checkpoint_seeds() {
    SigningKey key = SigningKey::from_seed(counting_bytes(32, 3));
    Checkpoint c{vault_id, 42, {}, 1'700'000'000'000'000, "auditor1", key.public_key(), {}};
    c.head.fill(0xab);
    seed("checkpoint", "signed", format_checkpoint(sign_checkpoint(c, key)));
}

void secret_payload_seeds() {
    SecretPayload full{1, 1, SecretBytes::copy_of(as_bytes(std::string_view("Rahasia-\"Ponorogo\",2029"))), {}, {}, {}};
    full.totp = must(parse_totp_seed(as_bytes(std::string_view("otpauth://totp/IG:p?secret=JBSWY3DPEHPK3PXP&digits=8&period=60&algorithm=SHA256"))), "totp");
    full.recovery_codes = SecretBytes::copy_of(as_bytes(std::string_view("1111-2222\n3333-4444\n")));
    full.notes = SecretBytes::copy_of(as_bytes(std::string_view("pemulihan lewat surel kabupaten")));
    seed("secret_payload", "full", must(encode_secret_payload(full), "payload").view());
    SecretPayload bare{1, 1, SecretBytes::copy_of(as_bytes(std::string_view("x"))), {}, {}, {}};
    seed("secret_payload", "password-only", must(encode_secret_payload(bare), "payload").view());
}

void policy_seeds() {
    seed("policy", "default", policy::render_policy_document(policy::Policy{}));
    seed("policy", "every-section",
         "[vault]\ntime_zone = \"WITA\"\n[checkout]\ndefault_duration = \"1h\"\nmax_duration = \"1d12h\"\n"
         "reason_required = false\nexclusive = true\nrotate_after_checkin = false\n[term]\ngrace_period = \"0d\"\n"
         "[rotation]\nmax_password_age = \"180d\"\n[break_glass]\nallowed = true\nroles = [\"admin\", \"custodian\"]\n"
         "[handover]\nwitness_required = true\nrotate_before_accept = true\n[enrollment]\ncode_lifetime = \"3d\"\n"
         "[deactivation]\nwaiting_period = \"30d\"\n"
         "[[deactivation.step]]\nid = \"ganti-surel\"\ntext = '''Ganti surel pemulihan ke \"kabupaten\"'''\n"
         "[[deactivation.step]]\nid = \"hapus\"\ntext = \"\"\"Minta penghapusan akun\"\"\"\nwaits = true\n"
         "[[forbid]]\nrole = \"custodian\"\naction = \"checkout\"\n# komentar: caf\xc3\xa9\n");
    seed("policy", "lists-and-inline-tables",
         "checkout = { max_duration = \"\"\"\\\n  12h\"\"\", \"exclusive\" = false, reason_required = true }\r\n"
         "[ break_glass ]\nroles = [ # who may\n  \"admin\",\n  'custodian', # too\n]\n"
         "[[ deactivation . step ]]\nid = \"a\"\ntext = \"\\u0041\\U0001F600 \\\\ \\\" caf\xc3\xa9\"\n");
    // Lines joined by a backslash, beside text beyond ASCII: where toml++'s table of blanks once
    // reached __builtin_unreachable (document_syntax.cpp, joined_line_goes_on).
    seed("policy", "joined-lines",
         "[[deactivation.step]]\nid = \"tutup\"\ntext = \"\"\"Tutup akun \\\n   \\u00e9 lama di Caf\xc3\xa9, \\\r\n\\\n\t  "
         "lalu ganti sandi \\  \n\n  selesai \xe2\x80\x94 ok\"\"\"\n");
    seed("policy", "numbers-where-strings-belong", "[term]\ngrace_period = 7\n[rotation]\nmax_password_age = -1.5e+3\nroles = [1, 2_000]\n");
}

void recovery_share_seeds() {
    SplitId split{9, 8, 7, 6, 5, 4, 3, 2};
    auto shares = must(split_recovery_key(counting_bytes(recovery_key_size, 11), vault_id, split, 3, 5), "split");
    std::string texts;
    Bytes records;
    for (std::size_t i = 0; i < 3; ++i) {
        texts += std::string(share_text(shares[i], "Bawaslu Kabupaten Ponorogo").text()) + (i < 2 ? "\n%%\n" : "");
        const RecoveryShare& s = shares[i];
        records.insert(records.end(), s.vault_id.begin(), s.vault_id.end());
        records.insert(records.end(), s.split_id.begin(), s.split_id.end());
        records.insert(records.end(), {s.threshold, s.shares, s.holder});
        records.insert(records.end(), s.y.view().begin(), s.y.view().end());
    }
    seed("recovery_share", "three-texts", 0, as_bytes(texts));
    seed("recovery_share", "three-records", 1, records);
}

void import_seeds(const fs::path& keepassxc_export) {
    seed("import", "spreadsheet", 0,
         as_bytes(std::string_view("\xef\xbb\xbfKode;Kecamatan;Platform;Akun;Kata Sandi;E-mail;No. HP;Catatan;TOTP\r\n"
                                   "35.02.01;Ponorogo;Instagram;panwascam.ponorogo; sandi \"\"awal\"\";a@example.org;+62 812-3456;\"baris\nkedua\";JBSWY3DPEHPK3PXP\r\n"
                                   "35.02.02;Babadan;tiktok;@babadan;rahasia;;;;\r\n")));
    seed("import", "spreadsheet-map", 1,
         as_bytes(std::string_view("Kode,Kecamatan,Akun,Nama Pengguna,Rahasia,Catatan\n35.02.01,Ponorogo,IG,panwascam,kata-sandi,x\n")));
    std::ifstream in(keepassxc_export, std::ios::binary);
    std::string exported((std::istreambuf_iterator<char>(in)), {});
    if (exported.empty()) {
        std::fprintf(stderr, "write_seeds: cannot read %s\n", keepassxc_export.c_str());
        std::exit(1);
    }
    seed("import", "keepassxc-export", 2, as_bytes(exported));
    seed("import", "totp-uri", 3, as_bytes(std::string_view("otpauth://totp/Instagram:p?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&issuer=Instagram")));
    seed("import", "totp-base32", 3, as_bytes(std::string_view(" jbsw y3dp ehpk 3pxp==\n")));
}

void backup_seeds() {
    Bytes keyring = keyring_file();
    Bytes store(200, 0x5a); // the reader hashes the store part and never parses it
    BackupManifest m{vault_id, 42, {}, 1'700'000'000'000'000, 1, 7, keyring.size(), blake2b_256(keyring), store.size(), blake2b_256(store)};
    m.head.fill(0xcd);
    Bytes manifest = must(encode_backup_manifest(m), "manifest");
    // Mode 1: the manifest and the parts, signed by the target itself.
    Bytes signed_input{static_cast<std::uint8_t>(manifest.size() & 0xff), static_cast<std::uint8_t>(manifest.size() >> 8)};
    signed_input.insert(signed_input.end(), manifest.begin(), manifest.end());
    signed_input.insert(signed_input.end(), keyring.begin(), keyring.end());
    signed_input.insert(signed_input.end(), store.begin(), store.end());
    seed("backup", "manifest-and-parts", 1, signed_input);
    // Mode 0: a whole bundle as write_backup_bundle writes it.
    fs::path dir = fs::temp_directory_path() / ("brankas-seeds-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream out(dir / "store.db", std::ios::binary);
        out.write(reinterpret_cast<const char*>(store.data()), static_cast<std::streamsize>(store.size()));
    }
    SigningKey signer = SigningKey::from_seed(counting_bytes(32, 5));
    (void)must(write_backup_bundle(dir / "bundle", m, signer, keyring, dir / "store.db"), "bundle");
    std::ifstream in(dir / "bundle", std::ios::binary);
    std::string bundle((std::istreambuf_iterator<char>(in)), {});
    seed("backup", "bundle", 0, as_bytes(bundle));
    fs::remove_all(dir);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR KEEPASSXC_EXPORT_CSV\n", argv[0]);
        return 2;
    }
    if (!initialize_crypto()) return 1;
    corpus_root = argv[1];
    keyring_seeds();
    event_seeds();
    checkpoint_seeds();
    secret_payload_seeds();
    policy_seeds();
    recovery_share_seeds();
    import_seeds(argv[2]);
    backup_seeds();
    return 0;
}
