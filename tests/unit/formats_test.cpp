// The test vectors of docs/formats.md: recomputed from the documented inputs and compared with
// tests/vectors/formats.txt, together with the failures the spec names.
#include "support/vectors.hpp"
#include "vault/approvals/approval_events.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/handover/handover_events.hpp"
#include "vault/people/people_events.hpp"
#include "vault/checkouts/checkout_events.hpp"
#include "vault/people/people_events.hpp"
#include "vault/recovery/recovery_events.hpp"
#include "vault/policies/policy_events.hpp"
#include "vault/log/checkpoint.hpp"
#include "vault/enforcement/enforcement_events.hpp"
#include "vault/log/event.hpp"
#include "vault/keyring.hpp"
#include "vault/people/principals.hpp"
#include "vault/projection.hpp"
#include "vault/recovery/recovery_share.hpp"
#include "vault/rotation/rotation_events.hpp"
#include "vault/slot_integrity.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>

using namespace brankas;

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> vector_bytes_counting_from(std::uint8_t start) {
    std::array<std::uint8_t, N> a{};
    for (std::size_t i = 0; i < N; ++i) a[i] = static_cast<std::uint8_t>(start + i);
    return a;
}

struct Inputs {
    VaultId vault_id = vector_bytes_counting_from<16>(0xa0);
    std::array<std::uint8_t, 32> store_key = vector_bytes_counting_from<32>(0x40);
    std::array<std::uint8_t, 32> signing_seed = vector_bytes_counting_from<32>(0x00);
    std::array<std::uint8_t, 32> box_secret = vector_bytes_counting_from<32>(0x20);
    SigningKey signing = SigningKey::from_seed(SecretBytes::copy_of(vector_bytes_counting_from<32>(0x00)));
    BoxKeyPair box = BoxKeyPair::from_secret(SecretBytes::copy_of(vector_bytes_counting_from<32>(0x20)));
};

Event event1(const Inputs& in) {
    Event e = genesis_event(in.vault_id, "Bawaslu Kabupaten Ponorogo", "siti", in.signing.public_key(), in.box.public_key());
    e.time_us = 1'700'000'000'000'000;
    return e;
}

Event event2() {
    Event e;
    e.seq = 2;
    e.time_us = 1'700'000'060'000'000;
    e.actor = "siti";
    e.action = "audit.checkpoint";
    return e;
}

Slot slot_header(const Inputs& in) {
    Slot s;
    s.id = slot_id_for(in.vault_id, "siti");
    s.kind = SlotKind::passphrase;
    s.created_us = 1'700'000'000'250'000;
    s.expires_us = 0;
    s.limits = KdfLimits{1, 8192};
    s.salt = vector_bytes_counting_from<16>(0x60);
    s.nonce = vector_bytes_counting_from<24>(0x70);
    return s;
}

SlotSecrets slot_secrets(const Inputs& in) {
    return {SecretBytes::copy_of(in.store_key), SecretBytes::copy_of(in.signing_seed), SecretBytes::copy_of(in.box_secret)};
}

// An event as the log holds it: its number, instant and actor set.
Event at(Event e, std::uint64_t seq, std::int64_t time_us, std::string actor) {
    e.seq = seq;
    e.time_us = time_us;
    e.actor = std::move(actor);
    return e;
}

// Each event's body and chain hash are the vectors `<name>_body` and `<name>_hash`, chained one
// after the other from the vector `after`, and each body decodes to its event again.
void check_chained(std::map<std::string, std::string>& v, const std::string& after, std::initializer_list<std::pair<Event, const char*>> events) {
    Hash previous{};
    REQUIRE(from_hex(v[after], previous));
    for (const auto& [event, name] : events) {
        CAPTURE(name);
        auto body = encode_event(event);
        REQUIRE(body);
        CHECK(to_hex(*body) == v[std::string(name) + "_body"]);
        previous = chain_hash(previous, *body);
        CHECK(to_hex(previous) == v[std::string(name) + "_hash"]);
        CHECK(*decode_event(*body) == event);
    }
}

} // namespace

TEST_CASE("formats.md vectors: public keys, event bodies, chain hashes and signatures") {
    auto v = test::vectors();
    Inputs in;
    CHECK(to_hex(in.signing.public_key()) == v["signing_public_key"]);
    CHECK(to_hex(in.box.public_key()) == v["box_public_key"]);

    auto b1 = encode_event(event1(in));
    REQUIRE(b1);
    CHECK(to_hex(*b1) == v["event1_body"]);
    Hash h1 = chain_hash(genesis_previous_hash, *b1);
    CHECK(to_hex(h1) == v["event1_hash"]);
    CHECK(to_hex(in.signing.sign(event_signing_message(h1))) == v["event1_signature"]);

    auto b2 = encode_event(event2());
    REQUIRE(b2);
    CHECK(to_hex(*b2) == v["event2_body"]);
    Hash h2 = chain_hash(h1, *b2);
    CHECK(to_hex(h2) == v["event2_hash"]);
    CHECK(to_hex(in.signing.sign(event_signing_message(h2))) == v["event2_signature"]);

    // Decoding the documented bytes gives back the documented events.
    Bytes body1(b1->size());
    REQUIRE(from_hex(v["event1_body"], body1));
    auto decoded = decode_event(body1);
    REQUIRE(decoded);
    CHECK(*decoded == event1(in));
}

TEST_CASE("formats.md vectors: dual control's events, as their typed structs encode them") {
    auto v = test::vectors();
    Event request = at(ApprovalRequested{policy::DualAction::break_glass, "account/1", "akun diretas", 7'200'000'000}.encode(), 3,
                       1'700'000'120'000'000, "siti");
    Event grant = at(ApprovalGranted{3, "dikonfirmasi lewat telepon"}.encode(), 4, 1'700'000'180'000'000, "budi");
    Event used = at(CheckoutTaken{1, 1, 1'700'007'440'000'000, true, "akun diretas", 3}.encode(), 5, 1'700'000'240'000'000, "siti");
    check_chained(v, "event2_hash", {{request, "approval_request"}, {grant, "approval_grant"},
                                     {used, "checkout_with_request"}});
    CHECK(ApprovalRequested::decode(request)->reason == "akun diretas");
    CHECK(ApprovalGranted::decode(grant)->request == 3);
    CHECK(CheckoutTaken::decode(used)->request == 3);

    // The expected failure: a request numbered 0 names nothing.
    Event zero = used;
    zero.details.integer("request", 0);
    auto refused = CheckoutTaken::decode(zero);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("names a request that cannot exist") != std::string::npos);
    // Without the field, a check-out has the bytes it had before dual control.
    CheckoutTaken plain{1, 1, 1'700'007'440'000'000, true, "akun diretas", std::nullopt};
    CHECK_FALSE(plain.encode().details.fields().contains("request"));
}

TEST_CASE("formats.md vectors: a policy set under dual control, its request naming the document's hash") {
    auto v = test::vectors();
    const std::string document = "[dual_control]\nactions = []\n";
    CHECK(policy_document_target(document) == "policy/" + v["policy_document_hash"]);
    Event request = at(ApprovalRequested{policy::DualAction::policy_set, policy_document_target(document), "pemilu selesai", 0}.encode(), 6,
                       1'700'000'300'000'000, "siti");
    Event used = at(PolicySet{document, std::string("pemilu selesai"), 6}.encode(), 7, 1'700'000'420'000'000, "siti");
    check_chained(v, "checkout_with_request_hash", {{request, "approval_request_policy"}, {used, "policy_set_with_request"}});
    auto asked = ApprovalRequested::decode(request);
    REQUIRE(asked);
    CHECK(asked->action == policy::DualAction::policy_set);
    CHECK(asked->duration_us == 0);
    CHECK(PolicySet::decode(used)->request == 6);

    // The expected failures: a request whose target is not a document's hash in lower case, or
    // that carries a check-out's length.
    Event upper = request;
    upper.target = "policy/" + std::string(64, 'A');
    CHECK(ApprovalRequested::decode(upper).error().message.find("does not name a policy document by its hash") != std::string::npos);
    Event lasting = request;
    lasting.details.integer("duration_us", 7'200'000'000);
    CHECK(ApprovalRequested::decode(lasting).error().message.find("duration_us") != std::string::npos);
    // Without reason and request, a policy set has the bytes it had before dual control.
    CHECK(PolicySet{document}.encode().details.fields().size() == 1);
}

TEST_CASE("formats.md vectors: a person's record and a handover's release, as their typed structs encode them") {
    auto v = test::vectors();
    Event edit = at(UserEdited{"budi", PersonRecord{"Budi Santoso, S.Kom.", "198503122010011002", "Ketua Panwaslu Kecamatan Babadan"}}.encode(),
                    8, 1'700'000'480'000'000, "siti");
    HandoverReleased step;
    step.id = 1;
    step.accounts_digest = blake2b_256(encode_handed_over({}));
    step.unit = "35.02.01";
    Event release = at(step.encode(), 9, 1'700'000'540'000'000, "ani");
    check_chained(v, "policy_set_with_request_hash", {{edit, "user_edit"}, {release, "handover_release"}});
    CHECK(UserEdited::decode(edit)->record.nip == "198503122010011002");
    CHECK(HandoverReleased::decode(release)->unit == "35.02.01");

    // The expected failures: the NIP in its printed groups is not what the log holds, and a
    // release carries no field its action does not list.
    auto grouped = check_person_record(PersonRecord{std::nullopt, "19850312 201001 1 002", std::nullopt});
    REQUIRE_FALSE(grouped);
    CHECK(grouped.error().message == "'19850312 201001 1 002' is not a NIP");
    Event extra = release;
    extra.details.text("reason", "pindah tugas");
    auto refused = HandoverReleased::decode(extra);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("reason") != std::string::npos);
    // Without the record's fields, a user.add has the bytes it had before them.
    UserAdded plain;
    plain.name = "budi";
    plain.role = "custodian";
    for (const char* field : {"full_name", "nip", "position"}) CHECK_FALSE(plain.encode().details.fields().contains(field));
}

TEST_CASE("formats.md vectors: a re-key and a recovery split under dual control") {
    auto v = test::vectors();
    Hash check{};
    REQUIRE(from_hex(v["store_key_check"], check));
    Event asked = at(ApprovalRequested{policy::DualAction::rekey, "budi", "masa tugas selesai", 0}.encode(), 11, 1'700'000'660'000'000, "siti");
    UserDisabled disabled{"budi", StoreKeyAnnounced{2, check}, std::string("masa tugas selesai")};
    disabled.request = 11;
    Event used = at(disabled.encode(), 12, 1'700'000'720'000'000, "siti");
    Event split = at(ApprovalRequested{policy::DualAction::recovery_split, recovery_split_target(3, 5), "komisioner baru", 0}.encode(), 13,
                     1'700'000'780'000'000, "siti");
    check_chained(v, "secret_pending_break_glass_hash", {{asked, "approval_request_rekey"}, {used, "user_disable_with_request"},
                                               {split, "approval_request_split"}});
    CHECK(ApprovalRequested::decode(asked)->action == policy::DualAction::rekey);
    CHECK(UserDisabled::decode(used)->request == 11);
    CHECK(parse_recovery_split_target(ApprovalRequested::decode(split)->target)->threshold == 3);

    // The expected failures: a request without the re-key it would be used for, and a shape
    // spelled another way.
    UserDisabled plain{"budi", std::nullopt, std::string("masa tugas selesai")};
    plain.request = 11;
    CHECK(UserDisabled::decode(plain.encode()).error().message.find("names a request without a re-key to use it for") != std::string::npos);
    Event padded = split;
    padded.target = "recovery/03-of-5";
    CHECK(ApprovalRequested::decode(padded).error().message.find("does not name a split's threshold and shares") != std::string::npos);
}

TEST_CASE("formats.md vectors: checkpoint message, signature and file") {
    auto v = test::vectors();
    Inputs in;
    Hash h2{};
    REQUIRE(from_hex(v["event2_hash"], h2));
    Checkpoint c;
    c.vault_id = in.vault_id;
    c.seq = 2;
    c.head = h2;
    c.time_us = 1'700'000'060'000'000;
    c.signer = "siti";
    c = sign_checkpoint(c, in.signing);
    CHECK(to_hex(checkpoint_signing_message(c)) == v["checkpoint_message"]);
    CHECK(to_hex(c.signature) == v["checkpoint_signature"]);
    CHECK(checkpoint_signature_valid(c));
    auto parsed = parse_checkpoint(format_checkpoint(c));
    REQUIRE(parsed);
    CHECK(checkpoint_signature_valid(*parsed));
}

Slot key_file_slot_header(const Inputs& in) {
    Slot s;
    s.id = slot_id_for(in.vault_id, "penegak");
    s.kind = SlotKind::keyfile;
    s.created_us = 1'700'000'000'500'000;
    s.kdf = SlotKdf::key_file;
    s.limits = KdfLimits{0, 0};
    s.nonce = vector_bytes_counting_from<24>(0x88);
    return s;
}

TEST_CASE("formats.md vectors: slot id, KEK, associated data, ciphertext and keyring file") {
    auto v = test::vectors();
    Inputs in;
    Slot header = slot_header(in);
    CHECK(to_hex(header.id) == v["slot_id"]);
    auto kek = derive_key("correct horse battery staple", header.salt, header.limits);
    REQUIRE(kek);
    CHECK(kek->to_hex().text() == v["slot_kek"]);

    Keyring k(in.vault_id);
    auto slot = k.seal(header, as_bytes(std::string_view("correct horse battery staple")), slot_secrets(in));
    REQUIRE(slot);
    CHECK(to_hex(k.associated_data(*slot)) == v["slot_associated_data"]);
    CHECK(to_hex(slot->ciphertext) == v["slot_ciphertext"]);
    k.put(*slot);

    // The enforcer's slot opens with the 32 bytes of its key file.
    Slot kf_header = key_file_slot_header(in);
    auto key_file = vector_bytes_counting_from<32>(0x90);
    auto kf_slot = k.seal(kf_header, key_file, slot_secrets(in));
    REQUIRE(kf_slot);
    CHECK(to_hex(kf_slot->id) == v["keyfile_slot_id"]);
    CHECK(to_hex(k.associated_data(*kf_slot)) == v["keyfile_slot_associated_data"]);
    CHECK(to_hex(kf_slot->ciphertext) == v["keyfile_slot_ciphertext"]);
    CHECK(to_hex(slot_hash(k, *kf_slot)) == v["keyfile_slot_hash"]);
    k.put(*kf_slot);

    // A newer K_db for siti's slot, sealed to siti's box key. Sealing is randomized: the
    // documented envelope was sealed once, and must open to the documented payload.
    Bytes sealed(v["envelope_sealed"].size() / 2);
    REQUIRE(from_hex(v["envelope_sealed"], sealed));
    StoreKeyEnvelope envelope{slot_id_for(in.vault_id, "siti"), 2, sealed};
    auto payload = open_sealed(in.box, sealed);
    REQUIRE(payload);
    CHECK(payload->to_hex().text() == v["envelope_payload"]);
    auto new_key = k.open_store_key(envelope, in.box);
    REQUIRE(new_key);
    CHECK(new_key->equals(vector_bytes_counting_from<32>(0xc0)));
    CHECK(to_hex(store_key_check(in.vault_id, 2, *new_key)) == v["store_key_check"]);
    // Our own sealing gives the same payload.
    auto ours = k.seal_store_key(envelope.slot, 2, SecretBytes::copy_of(vector_bytes_counting_from<32>(0xc0)), in.box.public_key());
    auto ours_payload = open_sealed(in.box, ours.sealed);
    REQUIRE(ours_payload);
    CHECK(ours_payload->to_hex().text() == v["envelope_payload"]);
    k.put_envelope(envelope);
    CHECK(to_hex(k.serialize()) == v["keyring_file"]);

    // The documented file parses and opens.
    Bytes file(v["keyring_file"].size() / 2);
    REQUIRE(from_hex(v["keyring_file"], file));
    auto parsed = Keyring::parse(file);
    REQUIRE(parsed);
    auto opened = parsed->open_with_passphrase("siti", "correct horse battery staple");
    REQUIRE(opened);
    CHECK(opened->store_key.equals(in.store_key));
    CHECK(opened->store_generation == 1);
    auto by_key = parsed->open("penegak", key_file);
    REQUIRE(by_key);
    CHECK(by_key->signing_seed.equals(in.signing_seed));
    REQUIRE(parsed->envelopes_for(envelope.slot).size() == 1);
    CHECK(parsed->open_store_key(*parsed->envelopes_for(envelope.slot)[0], in.box));
}

TEST_CASE("formats.md expected failures") {
    auto v = test::vectors();
    Inputs in;
    Bytes file(v["keyring_file"].size() / 2);
    REQUIRE(from_hex(v["keyring_file"], file));

    SUBCASE("a wrong passphrase") {
        auto k = Keyring::parse(file);
        REQUIRE(k);
        auto r = k->open_with_passphrase("siti", "correct horse battery stapler");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::wrong_passphrase);
    }
    SUBCASE("expires_us changed to 1: the header is authenticated") {
        // keyring header 28 bytes, slot length 2, id 16, kind 1, created 8, expires 8 (last byte).
        file[28 + 2 + 16 + 1 + 8 + 7] = 1;
        auto k = Keyring::parse(file);
        REQUIRE(k);
        auto r = k->open_with_passphrase("siti", "correct horse battery staple");
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::wrong_passphrase);
    }
    SUBCASE("the key-file slot's store_generation changed to 2: the header is authenticated") {
        // The second slot starts after siti's (2 + 209 bytes): its length 2, id 16, kind 1,
        // created 8, expires 8, then store_generation 4 (last byte).
        file[28 + 211 + 2 + 16 + 1 + 8 + 8 + 3] = 2;
        auto k = Keyring::parse(file);
        REQUIRE(k);
        auto r = k->open("penegak", vector_bytes_counting_from<32>(0x90));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::wrong_passphrase);
    }
    SUBCASE("event 2's body with one byte changed no longer has event 2's hash") {
        Bytes body(v["event2_body"].size() / 2);
        REQUIRE(from_hex(v["event2_body"], body));
        Hash h1{};
        REQUIRE(from_hex(v["event1_hash"], h1));
        body[body.size() - 1] ^= 1;
        CHECK(to_hex(chain_hash(h1, body)) != v["event2_hash"]);
    }
    SUBCASE("a slot count of 65,535 in a 31-byte file") {
        Bytes small(file.begin(), file.begin() + 31);
        small[26] = 0xff;
        small[27] = 0xff;
        auto r = Keyring::parse(small);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("more slots than any vault has") != std::string::npos);
    }
    SUBCASE("the envelope moved to the key-file slot: it names siti's slot inside") {
        auto k = Keyring::parse(file);
        REQUIRE(k);
        StoreKeyEnvelope moved = k->envelopes()[0];
        moved.slot = slot_id_for(in.vault_id, "penegak");
        auto r = k->open_store_key(moved, in.box);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("names another vault, slot or generation") != std::string::npos);
    }
}

namespace {

SecretBytes secret_from_hex(const std::string& hex) {
    SecretBytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) out.data()[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return out;
}

RecoveryShare vector_share(const std::map<std::string, std::string>& v, std::uint8_t holder) {
    return RecoveryShare{vector_bytes_counting_from<16>(0xa0), vector_bytes_counting_from<8>(0xb0), 2, 3, holder,
                         secret_from_hex(v.at("share" + std::to_string(holder) + "_y"))};
}

} // namespace

TEST_CASE("formats.md vectors: recovery shares, their text, and libgfshare's field") {
    auto v = test::vectors();
    const SecretBytes key = secret_from_hex("606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f");
    const VaultId vault = vector_bytes_counting_from<16>(0xa0);
    // The shares were computed from the spec's polynomial: libgfshare must agree on the field.
    std::vector<RecoveryShare> one_three;
    one_three.push_back(vector_share(v, 1));
    one_three.push_back(vector_share(v, 3));
    auto combined = combine_recovery_shares(one_three, vault);
    REQUIRE(combined);
    CHECK(combined->equals(key.view()));
    std::vector<RecoveryShare> two_three;
    two_three.push_back(vector_share(v, 2));
    two_three.push_back(vector_share(v, 3));
    CHECK(combine_recovery_shares(two_three, vault)->equals(key.view()));

    SecretBytes text = share_text(vector_share(v, 1), "Bawaslu Kabupaten Ponorogo");
    CHECK(to_hex(text.view()) == v["share1_text"]);
    auto back = parse_share_text(text.text(), "share1_text");
    REQUIRE(back);
    CHECK(back->y.equals(vector_share(v, 1).y.view()));

    // Expected failures: one share alone is refused before combining (and would not be the key).
    std::vector<RecoveryShare> alone;
    alone.push_back(vector_share(v, 1));
    CHECK_FALSE(combine_recovery_shares(alone, vault));
    CHECK_FALSE(alone[0].y.equals(key.view()));
}

TEST_CASE("formats.md vectors: a custodian's rotation started outside every term by break-glass") {
    auto v = test::vectors();
    SecretPending pending;
    pending.account = 1;
    pending.version = 2;
    pending.key_version = 1;
    pending.reason = "akun diretas, masa tugas sudah berakhir";
    for (int b = 0x40; b < 0x80; ++b) pending.sealed.push_back(static_cast<std::uint8_t>(b));
    pending.break_glass = true;
    Event e = pending.encode();
    e.seq = 10;
    e.time_us = 1'700'000'600'000'000;
    e.actor = "ani";
    Hash previous{};
    REQUIRE(from_hex(v["handover_release_hash"], previous));
    auto body = encode_event(e);
    REQUIRE(body);
    CHECK(to_hex(*body) == v["secret_pending_break_glass_body"]);
    CHECK(to_hex(chain_hash(previous, *body)) == v["secret_pending_break_glass_hash"]);
    CHECK(*decode_event(*body) == e);
    CHECK(SecretPending::decode(e)->break_glass);

    // The expected failure: the flag written as 0 (it is present only as 1).
    Event zero = e;
    zero.details.integer("break_glass", 0);
    auto refused = SecretPending::decode(zero);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("has a 'break_glass' field other than 1") != std::string::npos);
    // Without the flag, a rotation has the bytes it had before break-glass rotations.
    pending.break_glass = false;
    CHECK_FALSE(pending.encode().details.fields().contains("break_glass"));
    CHECK_FALSE(SecretPending::decode(pending.encode())->break_glass);
}

TEST_CASE("formats.md vectors: the custodian who broke the glass confirms the rotation outside every term") {
    auto v = test::vectors();
    Event e = SecretConfirmed{1, 2, std::nullopt, true}.encode();
    e.seq = 14;
    e.time_us = 1'700'000'840'000'000;
    e.actor = "ani";
    Hash previous{};
    REQUIRE(from_hex(v["approval_request_split_hash"], previous));
    auto body = encode_event(e);
    REQUIRE(body);
    CHECK(to_hex(*body) == v["secret_confirm_break_glass_body"]);
    CHECK(to_hex(chain_hash(previous, *body)) == v["secret_confirm_break_glass_hash"]);
    CHECK(*decode_event(*body) == e);
    CHECK(SecretConfirmed::decode(e)->break_glass);

    // The expected failure: the flag written as 0, in a confirmation and in an abort.
    Event zero = e;
    zero.details.integer("break_glass", 0);
    auto refused = SecretConfirmed::decode(zero);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("has a 'break_glass' field other than 1") != std::string::npos);
    Event abort_zero = SecretAborted{1, 2, false}.encode();
    abort_zero.details.integer("break_glass", 0);
    CHECK(SecretAborted::decode(abort_zero).error().message.find("has a 'break_glass' field other than 1") != std::string::npos);
    // Without the flag, a confirmation and an abort have the bytes they had before.
    CHECK_FALSE(SecretConfirmed{1, 2, std::nullopt, false}.encode().details.fields().contains("break_glass"));
    CHECK_FALSE(SecretAborted{1, 2, false}.encode().details.fields().contains("break_glass"));
    CHECK(SecretAborted::decode(SecretAborted{1, 2, true}.encode())->break_glass);
}

TEST_CASE("formats.md vectors: an end of term carrying its accounts' fresh passwords") {
    auto v = test::vectors();
    Bytes first, second;
    for (int b = 0x40; b < 0x80; ++b) first.push_back(static_cast<std::uint8_t>(b));
    for (int b = 0x80; b < 0xc0; ++b) second.push_back(static_cast<std::uint8_t>(b));
    Event e = UnitDeactivated{"35.02.01", "Pemilu 2024", 2, "ani", 2, {{9, 3, 2, first}, {10, 1, 2, second}}}.encode();
    e.seq = 15;
    e.time_us = 1'700'000'900'000'000;
    e.actor = "penegak";
    Hash previous{};
    REQUIRE(from_hex(v["secret_confirm_break_glass_hash"], previous));
    auto body = encode_event(e);
    REQUIRE(body);
    CHECK(to_hex(*body) == v["unit_deactivate_fresh_body"]);
    CHECK(to_hex(chain_hash(previous, *body)) == v["unit_deactivate_fresh_hash"]);
    CHECK(*decode_event(*body) == e);
    auto decoded = UnitDeactivated::decode(e);
    REQUIRE(decoded);
    REQUIRE(decoded->fresh.size() == 2);
    CHECK(decoded->fresh[0].account == 9); // by account, though fresh.10 comes first in the body
    CHECK(decoded->fresh[1].version == 1);

    // The expected failure: account 9 spelled with a leading zero.
    Event padded = e;
    Bytes value = *e.details.get_bytes("fresh.9");
    EventDetails details;
    for (const auto& [key, field] : e.details.fields())
        if (key != "fresh.9") {
            if (const auto* t = std::get_if<std::string>(&field)) details.text(key, *t);
            else if (const auto* i = std::get_if<std::int64_t>(&field)) details.integer(key, *i);
            else details.bytes(key, std::get<Bytes>(field));
        }
    details.bytes("fresh.09", value);
    padded.details = details;
    auto refused = UnitDeactivated::decode(padded);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("has a fresh password for no account: 'fresh.09'") != std::string::npos);
}

