#!/usr/bin/python3
"""Independent check of docs/formats.md against tests/vectors/formats.txt.

Written from formats.md alone (not from the C++ sources). Usage:
    independent_check.py [formats.txt] [formats.md]
Also verifies and replays the whole log of the vault-0.1 fixture (independent_replay.py, from
"Replay test vectors"). Needs PyNaCl (Debian: python3-nacl) and Python 3.11.
"""
import copy
import hashlib
import os
import struct
import sys

from nacl import bindings as nb

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "formats.txt")
SPEC = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "docs", "formats.md")

passed = failed = 0


def check(name, expected, got):
    global passed, failed
    if expected == got:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        show = lambda v: v.hex() if isinstance(v, bytes) else repr(v)
        print(f"FAIL {name}: expected {show(expected)} got {show(got)}")


# --- "Primitive encodings": big-endian, two's complement ----------------------
def u8(n): return struct.pack(">B", n)
def u16(n): return struct.pack(">H", n)
def u32(n): return struct.pack(">I", n)
def u64(n): return struct.pack(">Q", n)
def i64(n): return struct.pack(">q", n)


def str8(s):
    b = s.encode("utf-8")
    assert len(b) <= 255
    return u8(len(b)) + b


def str16(s):
    b = s.encode("utf-8")
    assert len(b) <= 65535
    return u16(len(b)) + b


def bytes32(b):
    return u32(len(b)) + b


# --- "Test vectors": inputs ---------------------------------------------------
vault_id = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
k_db = bytes.fromhex("404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f")
signing_seed = bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
box_secret = bytes.fromhex("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")
institution = "Bawaslu Kabupaten Ponorogo"
admin = "siti"  # the first admin's name; its role is "admin"
t1, t2 = 1700000000000000, 1700000060000000
slot_created = 1700000000250000
salt = bytes.fromhex("606162636465666768696a6b6c6d6e6f")
nonce = bytes.fromhex("707172737475767778797a7b7c7d7e7f8081828384858687")
passphrase = "correct horse battery staple"
slot_generation = 1                     # store_generation of both slots
kf_principal = "penegak"                # the key-file slot (kind 2, kdf 2)
kf_created = 1700000000500000
kf_nonce = bytes.fromhex("88898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
key_file = bytes.fromhex("909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
env_generation = 2                      # the envelope: for siti's slot, K_db of generation 2
k_db_2 = bytes.fromhex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf")

# Expected values: tests/vectors/formats.txt, one "name = hex" per line.
expected = {}
with open(VECTORS, encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition(" = ")
            expected[name] = bytes.fromhex(value)

# --- Table of primitives: Ed25519 key pair from seed, X25519 public key -------
signing_pk, signing_sk = nb.crypto_sign_seed_keypair(signing_seed)
box_pk = nb.crypto_scalarmult_base(box_secret)
check("signing_public_key", expected["signing_public_key"], signing_pk)
check("box_public_key", expected["box_public_key"], box_pk)


def sign(sk, msg):
    """Ed25519, pure, 64-byte detached signature (crypto_sign gives sig || msg)."""
    return nb.crypto_sign(msg, sk)[:64]


# --- "Event body" -------------------------------------------------------------
TEXT, INT, BYTES = 1, 2, 3


def event_body(seq, time_us, actor, action, target, fields):
    """fields: {key: (type, value)}; keys sorted by their raw bytes (not the str8 encoding)."""
    out = u8(1) + u64(seq) + i64(time_us) + str8(actor) + str8(action) + str16(target)
    out += u16(len(fields))
    for key in sorted(fields, key=lambda k: k.encode("utf-8")):
        typ, value = fields[key]
        out += str8(key) + u8(typ)
        out += {TEXT: str16, INT: i64, BYTES: bytes32}[typ](value)
    return out


# --- "Chain and signature" ----------------------------------------------------
def chain(prev_hash, body):
    return hashlib.blake2b(prev_hash + body, digest_size=32).digest()


def event_sig(sk, h):
    return sign(sk, b"brankas-event-sig-v1" + h)


# Event 1: vault.create, fields per the "Actions" table.
body1 = event_body(1, t1, admin, "vault.create", "", {
    "box_key": (BYTES, box_pk),
    "institution": (TEXT, institution),
    "role": (TEXT, "admin"),
    "signing_key": (BYTES, signing_pk),
    "vault_id": (BYTES, vault_id),
})
hash1 = chain(bytes(32), body1)
sig1 = event_sig(signing_sk, hash1)
# Event 2: audit.checkpoint, empty target, no fields.
body2 = event_body(2, t2, admin, "audit.checkpoint", "", {})
hash2 = chain(hash1, body2)
sig2 = event_sig(signing_sk, hash2)

for name, got in [("event1_body", body1), ("event1_hash", hash1), ("event1_signature", sig1),
                  ("event2_body", body2), ("event2_hash", hash2), ("event2_signature", sig2)]:
    check(name, expected[name], got)


# Events 3 to 5: dual control ("approval.request", "approval.grant", and the "checkout" that
# names the request it used), chained after event 2.
body3 = event_body(3, 1700000120000000, admin, "approval.request", "account/1", {
    "duration_us": (INT, 7200000000), "for": (TEXT, "break_glass"), "reason": (TEXT, "akun diretas")})
hash3 = chain(hash2, body3)
body4 = event_body(4, 1700000180000000, "budi", "approval.grant", "approval/3", {
    "reason": (TEXT, "dikonfirmasi lewat telepon")})
hash4 = chain(hash3, body4)
body5 = event_body(5, 1700000240000000, admin, "checkout", "account/1", {
    "break_glass": (INT, 1), "reason": (TEXT, "akun diretas"), "request": (INT, 3),
    "until_us": (INT, 1700007440000000), "version": (INT, 1)})
hash5 = chain(hash4, body5)
for name, got in [("approval_request_body", body3), ("approval_request_hash", hash3),
                  ("approval_grant_body", body4), ("approval_grant_hash", hash4),
                  ("checkout_with_request_body", body5), ("checkout_with_request_hash", hash5)]:
    check(name, expected[name], got)

# Events 6 and 7: the policy itself under dual control. The request names the document by its
# BLAKE2b-256 ("policy/" and lower-case hex); the "policy.set" that used it names the request.
lifted = b"[dual_control]\nactions = []\n"
document_hash = hashlib.blake2b(lifted, digest_size=32).digest()
body6 = event_body(6, 1700000300000000, admin, "approval.request", "policy/" + document_hash.hex(), {
    "for": (TEXT, "policy_set"), "reason": (TEXT, "pemilu selesai")})
hash6 = chain(hash5, body6)
body7 = event_body(7, 1700000420000000, admin, "policy.set", "policy", {
    "document": (BYTES, lifted), "reason": (TEXT, "pemilu selesai"), "request": (INT, 6)})
hash7 = chain(hash6, body7)
for name, got in [("policy_document_hash", document_hash),
                  ("approval_request_policy_body", body6), ("approval_request_policy_hash", hash6),
                  ("policy_set_with_request_body", body7), ("policy_set_with_request_hash", hash7)]:
    check(name, expected[name], got)

# Events 8 and 9: a person's record ("user.edit") and an outgoing custodian's release of a
# handover ("handover.release"), chained after event 7.
body8 = event_body(8, 1700000480000000, admin, "user.edit", "budi", {
    "full_name": (TEXT, "Budi Santoso, S.Kom."), "nip": (TEXT, "198503122010011002"),
    "position": (TEXT, "Ketua Panwaslu Kecamatan Babadan")})
hash8 = chain(hash7, body8)
empty_list_digest = hashlib.blake2b(u32(0), digest_size=32).digest()
body9 = event_body(9, 1700000540000000, "ani", "handover.release", "handover/1", {
    "accounts_digest": (BYTES, empty_list_digest), "unit": (TEXT, "35.02.01")})
hash9 = chain(hash8, body9)
for name, got in [("user_edit_body", body8), ("user_edit_hash", hash8),
                  ("handover_release_body", body9), ("handover_release_hash", hash9)]:
    check(name, expected[name], got)

# Event 10: a custodian's rotation started outside every term by break-glass ("secret.pending"
# with its optional "break_glass" field, 1), chained after event 9.
body10 = event_body(10, 1700000600000000, "ani", "secret.pending", "account/1", {
    "break_glass": (INT, 1), "key_version": (INT, 1), "reason": (TEXT, "akun diretas, masa tugas sudah berakhir"),
    "sealed": (BYTES, bytes(range(0x40, 0x80))), "totp": (INT, 0), "version": (INT, 2)})
hash10 = chain(hash9, body10)
for name, got in [("secret_pending_break_glass_body", body10), ("secret_pending_break_glass_hash", hash10)]:
    check(name, expected[name], got)

# Events 11 to 13: a re-key and a recovery split under dual control, chained after event 10. The
# re-key's request names the person; the "user.disable" that used it names the request and
# carries its reason; a split's request names its shape, "recovery/<threshold>-of-<shares>".
body11 = event_body(11, 1700000660000000, admin, "approval.request", "budi", {
    "for": (TEXT, "rekey"), "reason": (TEXT, "masa tugas selesai")})
hash11 = chain(hash10, body11)
body12 = event_body(12, 1700000720000000, admin, "user.disable", "budi", {
    "reason": (TEXT, "masa tugas selesai"), "request": (INT, 11), "store_generation": (INT, 2),
    "store_key_check": (BYTES, expected["store_key_check"])})
hash12 = chain(hash11, body12)
body13 = event_body(13, 1700000780000000, admin, "approval.request", "recovery/3-of-5", {
    "for": (TEXT, "recovery_split"), "reason": (TEXT, "komisioner baru")})
hash13 = chain(hash12, body13)
for name, got in [("approval_request_rekey_body", body11), ("approval_request_rekey_hash", hash11),
                  ("user_disable_with_request_body", body12), ("user_disable_with_request_hash", hash12),
                  ("approval_request_split_body", body13), ("approval_request_split_hash", hash13)]:
    check(name, expected[name], got)

# Event 14: the custodian who started event 10's rotation by break-glass confirms it outside every
# term ("secret.confirm" with its optional "break_glass" field, 1), chained after event 13.
body14 = event_body(14, 1700000840000000, "ani", "secret.confirm", "account/1", {"break_glass": (INT, 1), "version": (INT, 2)})
hash14 = chain(hash13, body14)
for name, got in [("secret_confirm_break_glass_body", body14), ("secret_confirm_break_glass_hash", hash14)]:
    check(name, expected[name], got)

# Event 15: the enforcer ends sub-district 35.02.01 after event 14, and its "unit.deactivate"
# carries two fresh passwords ("fresh.<id>": u64 version, u64 key_version, the sealed bytes);
# "fresh.10" sorts before "fresh.9".
def fresh(version, key_version, sealed):
    return (BYTES, struct.pack(">QQ", version, key_version) + sealed)
body15 = event_body(15, 1700000900000000, "penegak", "unit.deactivate", "35.02.01", {
    "accounts": (INT, 2), "custodians": (TEXT, "ani"), "fresh.9": fresh(3, 2, bytes(range(0x40, 0x80))),
    "fresh.10": fresh(1, 2, bytes(range(0x80, 0xc0))), "key_version": (INT, 2), "term": (TEXT, "Pemilu 2024")})
hash15 = chain(hash14, body15)
for name, got in [("unit_deactivate_fresh_body", body15), ("unit_deactivate_fresh_hash", hash15)]:
    check(name, expected[name], got)


def verifies(sig, msg, pk):
    """The expected signatures must also verify under the public key."""
    try:
        return nb.crypto_sign_open(sig + msg, pk) == msg
    except Exception:
        return False


check("event signatures verify", [True, True],
      [verifies(expected[f"event{n}_signature"], b"brankas-event-sig-v1" + expected[f"event{n}_hash"],
                signing_pk) for n in (1, 2)])

# --- "Checkpoint": signed message and text file -------------------------------
cp_message = (b"brankas-checkpoint-v1" + vault_id + u64(2) + hash2 + i64(t2) + str8(admin))
cp_sig = sign(signing_sk, cp_message)
check("checkpoint_message", expected["checkpoint_message"], cp_message)
check("checkpoint_signature", expected["checkpoint_signature"], cp_sig)
check("checkpoint signature verifies", True,
      verifies(expected["checkpoint_signature"], expected["checkpoint_message"], signing_pk))

cp_file = (f"brankas checkpoint v1\n"
           f"vault: {vault_id.hex()}\n"
           f"sequence: 2\n"
           f"head: {hash2.hex()}\n"
           f"time-us: {t2}\n"
           f"signer: {admin}\n"
           f"signer-key: {signing_pk.hex()}\n"
           f"signature: {cp_sig.hex()}\n")   # assumption: every line, the last too, ends in \n
# The expected file is the code block after "The checkpoint file for these inputs:".
with open(SPEC, encoding="utf-8") as f:
    spec = f.read()
block = spec.split("The checkpoint file for these inputs:", 1)[1].split("```", 2)[1]
check("checkpoint_file", block.lstrip("\n"), cp_file)
# "Test vectors" repeats formats.txt in formats.md: the two copies must agree.
repeated = spec.split("and repeated\nhere:", 1)[1].split("```", 2)[1]
check("formats.md repeats formats.txt", expected,
      {n: bytes.fromhex(v) for n, _, v in (l.partition(" = ") for l in repeated.split("\n") if l)})

# --- "Keyring file" / "Slot encryption" ---------------------------------------
MAGIC = b"BRNKKEYS"
VERSION = 2
OPSLIMIT, MEMLIMIT = 1, 8192            # the test profile
KDF_ARGON2ID, KDF_KEY_FILE = 1, 2
HEADER_LEN = 16 + 1 + 8 + 8 + 4 + 1 + 8 + 8 + 16 + 24   # 94
CIPHERTEXT_LEN, SEALED_LEN = 113, 117


def slot_id(principal):
    # Truncated BLAKE2b-256 (not BLAKE2b with a 16-byte digest, which differs).
    h = hashlib.blake2b(b"brankas-slot-id-v1" + vault_id + str8(principal), digest_size=32)
    return h.digest()[:16]


def slot_header(sid, kind, created_us, expires_us, generation, kdf, ops, mem, salt, nonce):
    assert len(sid) == 16 and len(salt) == 16 and len(nonce) == 24
    return (sid + u8(kind) + i64(created_us) + i64(expires_us) + u32(generation) + u8(kdf)
            + u64(ops) + u64(mem) + salt + nonce)


def kek(pw, salt, ops, mem):
    # libsodium crypto_pwhash Argon2id v1.3: memlimit in bytes, 1 lane, 32-byte output.
    return nb.crypto_pwhash_alg(32, pw.encode("utf-8"), salt, ops, mem,
                                nb.crypto_pwhash_ALG_ARGON2ID13)


def associated_data(header):
    # The keyring file's own first 26 bytes, then the slot's header.
    return MAGIC + u16(VERSION) + vault_id + header


def slot_record(header, ct):
    body = header + u16(len(ct)) + ct
    return u16(len(body)) + body


# "Store key envelopes"
def envelope_payload(sid, generation, kdb):
    return u8(1) + vault_id + sid + u32(generation) + kdb


def envelope_record(sid, generation, sealed):
    return sid + u32(generation) + u16(len(sealed)) + sealed


payload = u8(1) + k_db + signing_seed + box_secret
assert len(payload) == 97

# The passphrase slot (siti).
siti_id = slot_id(admin)
header = slot_header(siti_id, 1, slot_created, 0, slot_generation, KDF_ARGON2ID,
                     OPSLIMIT, MEMLIMIT, salt, nonce)
ad = associated_data(header)
key = kek(passphrase, salt, OPSLIMIT, MEMLIMIT)
ciphertext = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, ad, nonce, key)

check("slot_id", expected["slot_id"], siti_id)
check("slot_kek", expected["slot_kek"], key)
check("slot_associated_data", expected["slot_associated_data"], ad)
check("slot_ciphertext", expected["slot_ciphertext"], ciphertext)
check("slot_ciphertext_length", CIPHERTEXT_LEN, len(ciphertext))

# The key-file slot (penegak): kind 2, kdf 2, zero limits and salt, KEK = the key file's bytes.
kf_id = slot_id(kf_principal)
kf_header = slot_header(kf_id, 2, kf_created, 0, slot_generation, KDF_KEY_FILE,
                        0, 0, bytes(16), kf_nonce)
kf_ad = associated_data(kf_header)
kf_ciphertext = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, kf_ad, kf_nonce, key_file)

check("keyfile_slot_id", expected["keyfile_slot_id"], kf_id)
check("keyfile_slot_associated_data", expected["keyfile_slot_associated_data"], kf_ad)
check("keyfile_slot_ciphertext", expected["keyfile_slot_ciphertext"], kf_ciphertext)
check("keyfile_slot_ciphertext_length", CIPHERTEXT_LEN, len(kf_ciphertext))
# "Slot hashes": the slot exactly as the keyring file holds it, under its label and the vault id.
check("keyfile_slot_hash", expected["keyfile_slot_hash"],
      hashlib.blake2b(b"brankas-slot-hash-v1" + vault_id + slot_record(kf_header, kf_ciphertext), digest_size=32).digest())

# The envelope: K_db of generation 2 for siti's slot, sealed to box_public_key.
env_payload = envelope_payload(siti_id, env_generation, k_db_2)
check("envelope_payload", expected["envelope_payload"], env_payload)
check("envelope_payload_length", 69, len(env_payload))
check("envelope_sealed_length", SEALED_LEN, len(expected["envelope_sealed"]))


def unseal(sealed):
    try:
        return nb.crypto_box_seal_open(sealed, box_pk, box_secret)
    except Exception:
        return None


# Sealing is randomized: the expected sealing must open to the payload built above, and a
# sealing of our own must open too (and be of the same length).
check("envelope_sealed opens to envelope_payload", env_payload, unseal(expected["envelope_sealed"]))

# "Store key envelopes": the check value the user.disable event records for an announced K_db.
check("store_key_check", expected["store_key_check"],
      hashlib.blake2b(b"brankas-store-key-check-v1" + vault_id + u32(env_generation) + k_db_2, digest_size=32).digest())
own_sealed = nb.crypto_box_seal(env_payload, box_pk)
check("envelope sealed here opens", (SEALED_LEN, env_payload), (len(own_sealed), unseal(own_sealed)))

# The keyring file: siti's slot, then the key-file slot, then the envelope (with the expected
# sealing, since a fresh one differs).
slots_part = slot_record(header, ciphertext) + slot_record(kf_header, kf_ciphertext)
keyring = (MAGIC + u16(VERSION) + vault_id
           + u16(2) + slots_part
           + u16(1) + envelope_record(siti_id, env_generation, expected["envelope_sealed"]))
check("slot_length is 209", [209, 209], [len(slot_record(h, c)) - 2 for h, c in
                                         [(header, ciphertext), (kf_header, kf_ciphertext)]])
check("keyring_file", expected["keyring_file"], keyring)


# --- A keyring reader, from the list of refusals in "Keyring file" ------------
class Refused(Exception):
    pass


def read_keyring(data):
    """Returns ({slot_id: (header fields, header bytes, ciphertext)}, [(slot_id, gen, sealed)])."""
    pos = 0

    def take(n, what):
        nonlocal pos
        if n > len(data) - pos:
            raise Refused(f"{what} runs past the end")
        out = data[pos:pos + n]
        pos += n
        return out

    if len(data) > 4 * 1024 * 1024:
        raise Refused("over 4 MiB")
    if take(8, "magic") != MAGIC:
        raise Refused("wrong magic")
    version = struct.unpack(">H", take(2, "version"))[0]
    if version != VERSION:
        raise Refused("made by an unknown version")
    take(16, "vault id")   # not checked here: it is bound by each slot's AD and envelope payload
    slot_count = struct.unpack(">H", take(2, "slot count"))[0]
    if slot_count > 4096:
        raise Refused("more slots than any vault has")
    slots = {}
    for _ in range(slot_count):
        slot_length = struct.unpack(">H", take(2, "slot length"))[0]
        body = take(slot_length, "slot")
        if len(body) < HEADER_LEN + 2:
            raise Refused("slot too short")
        hdr = body[:HEADER_LEN]
        (sid, kind, created, expires, gen, kdf, ops, mem, slt, nce) = struct.unpack(
            ">16sBqqIBQQ16s24s", hdr)
        ct_len = struct.unpack(">H", body[HEADER_LEN:HEADER_LEN + 2])[0]
        if ct_len != CIPHERTEXT_LEN or len(body) != HEADER_LEN + 2 + ct_len:
            raise Refused("ciphertext length")
        if kind not in (1, 2, 3, 4):
            raise Refused("unknown kind")
        if kdf not in (KDF_ARGON2ID, KDF_KEY_FILE):
            raise Refused("unknown KDF")
        if gen == 0:
            raise Refused("store generation 0")
        if kdf == KDF_ARGON2ID and not (1 <= ops <= 16 and 8192 <= mem <= 2 * 1024 ** 3):
            raise Refused("KDF limits")
        if kdf == KDF_KEY_FILE and (ops or mem or any(slt)):
            raise Refused("key-file slot with KDF parameters")
        if sid in slots:
            raise Refused("two slots with the same id")
        slots[sid] = (dict(kind=kind, created=created, expires=expires, generation=gen, kdf=kdf,
                           ops=ops, mem=mem, salt=slt, nonce=nce), hdr, body[HEADER_LEN + 2:])
    envelope_count = struct.unpack(">H", take(2, "envelope count"))[0]
    if envelope_count > 8192:
        raise Refused("more envelopes than any vault has")
    envelopes, seen = [], set()
    for _ in range(envelope_count):
        sid = take(16, "envelope")
        gen = struct.unpack(">I", take(4, "envelope"))[0]
        sealed_length = struct.unpack(">H", take(2, "envelope"))[0]
        if sid not in slots:
            raise Refused("envelope for no slot")
        if gen <= slots[sid][0]["generation"]:
            raise Refused("envelope not newer than its slot")
        if (sid, gen) in seen:
            raise Refused("repeated envelope")
        if sealed_length != SEALED_LEN:
            raise Refused("sealed length")
        seen.add((sid, gen))
        envelopes.append((sid, gen, take(sealed_length, "envelope")))
    if pos != len(data):
        raise Refused("trailing bytes")
    return slots, envelopes


def refusal(data):
    try:
        read_keyring(data)
        return None
    except Refused as e:
        return str(e)


def open_slot(slot, secret):
    """secret: the passphrase (kdf 1) or the key file's bytes (kdf 2). Returns the payload, or
    None on a failed tag ("wrong passphrase" / "the key file does not open the slot")."""
    fields, hdr, ct = slot
    if fields["kdf"] == KDF_ARGON2ID:
        k = kek(secret, fields["salt"], fields["ops"], fields["mem"])
    else:
        k = secret
    try:
        return nb.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, associated_data(hdr),
                                                             fields["nonce"], k)
    except Exception:
        return None


def open_envelope(envelope):
    """Returns K_db, or a reason string when the payload names another vault, slot or generation."""
    sid, gen, sealed = envelope
    opened = unseal(sealed)
    if opened is None:
        return "does not open"
    if len(opened) != 69 or opened[0] != 1:
        return "bad payload"
    if opened[1:17] != vault_id or opened[17:33] != sid or opened[33:37] != u32(gen):
        return "names another vault, slot or generation"
    return opened[37:69]


try:
    slots, envelopes = read_keyring(expected["keyring_file"])
except Refused as e:
    check("keyring_file reads", "read", f"refused: {e}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1)
check("keyring_file reads", ([siti_id, kf_id], [(siti_id, env_generation)]),
      (list(slots), [(s, g) for s, g, _ in envelopes]))


def check_payload(prefix, opened):
    check(f"{prefix}_opens", True, opened is not None)
    if opened is None:
        return
    check(f"{prefix}_length", 97, len(opened))
    check(f"{prefix}_version", 1, opened[0])
    check(f"{prefix}_k_db", k_db, opened[1:33])
    check(f"{prefix}_signing_seed", signing_seed, opened[33:65])
    check(f"{prefix}_box_secret", box_secret, opened[65:97])
    # "Slot encryption": public keys derived from the payload match those of the store.
    check(f"{prefix}_public_keys", (signing_pk, box_pk),
          (nb.crypto_sign_seed_keypair(opened[33:65])[0], nb.crypto_scalarmult_base(opened[65:97])))


# Decrypt the expected ciphertexts (as found in the expected keyring file) and check the payloads.
check("keyring slots hold the expected ciphertexts",
      [expected["slot_ciphertext"], expected["keyfile_slot_ciphertext"]],
      [slots[siti_id][2], slots[kf_id][2]])
check_payload("slot_payload", open_slot(slots[siti_id], passphrase))
check_payload("keyfile_slot_payload", open_slot(slots[kf_id], key_file))
check("envelope opens to K_db of generation 2", k_db_2, open_envelope(envelopes[0]))

# --- "Test vectors": expected failures ----------------------------------------
check("wrong passphrase fails", None, open_slot(slots[siti_id], "correct horse battery stapler"))
altered = slot_header(siti_id, 1, slot_created, 1, slot_generation, KDF_ARGON2ID,
                      OPSLIMIT, MEMLIMIT, salt, nonce)                  # expires_us 0 -> 1
check("expires_us changed fails", None,
      open_slot((slots[siti_id][0], altered, slots[siti_id][2]), passphrase))

# Byte 277 of the keyring file is the low byte of the key-file slot's store_generation.
bad = bytearray(expected["keyring_file"])
check("byte 277 is the key-file slot's store_generation", (u32(1), 1), (bytes(bad[274:278]), bad[277]))
bad[277] = 2
bad_slots, _ = read_keyring(bytes(bad))
check("key-file slot store_generation changed: reads as 2, fails", (2, None),
      (bad_slots[kf_id][0]["generation"], open_slot(bad_slots[kf_id], key_file)))

# The envelope given the key-file slot's id (its generation 2 is still newer than that slot's 1,
# so the file reads; both slots hold the same box_secret, so the box opens): the payload names
# siti's slot.
# The envelope is the file's last 16 + 4 + 2 + 117 = 139 bytes; its slot id comes first.
env_at = len(expected["keyring_file"]) - (16 + 4 + 2 + SEALED_LEN)
check("the envelope's slot id is siti's", siti_id, expected["keyring_file"][env_at:env_at + 16])
moved = expected["keyring_file"][:env_at] + kf_id + expected["keyring_file"][env_at + 16:]
moved_slots, moved_envelopes = read_keyring(moved)
check("envelope moved to the key-file slot's id fails", "names another vault, slot or generation",
      open_envelope(moved_envelopes[0]))

# One byte of event 2's body changed (time_us low byte): its hash no longer recomputes.
bad_body2 = bytearray(expected["event2_body"])
bad_body2[16] ^= 0x01
check("event2 altered body changes hash", False,
      chain(expected["event1_hash"], bytes(bad_body2)) == expected["event2_hash"])

# (A checkpoint past the end of the log needs a real vault: tests/unit/verifier_test.cpp.)

# The first 31 bytes of the keyring file, slot count (bytes 26-27) set to ffff: refused
# before any slot is read.
head31 = bytearray(expected["keyring_file"][:31])
head31[26:28] = b"\xff\xff"
check("slot count ffff refused", "more slots than any vault has", refusal(bytes(head31)))


# --- "Backup bundle" ----------------------------------------------------------
# Inputs: siti signs; the keyring part is keyring_file, the store part the 64 bytes 00..3f
# (the format treats it as opaque bytes); the manifest names event 2 of the vectors.
BACKUP_MAGIC = b"BRNKBKUP"
bk_keyring = expected["keyring_file"]
bk_store = bytes(range(64))
bk_manifest = (u8(1) + vault_id + u64(2) + hash2 + i64(t2) + u32(1) + u32(4)
               + u64(len(bk_keyring)) + hashlib.blake2b(bk_keyring, digest_size=32).digest()
               + u64(len(bk_store)) + hashlib.blake2b(bk_store, digest_size=32).digest())
bk_signed = BACKUP_MAGIC + u16(1) + signing_pk + u32(len(bk_manifest)) + bk_manifest
bk_signature = sign(signing_sk, b"brankas-backup-sig-v1" + bk_signed)
bk_bundle = bk_signed + bk_signature + bk_keyring + bk_store
check("backup_manifest", expected["backup_manifest"], bk_manifest)
check("backup_manifest is 153 bytes", 153, len(bk_manifest))
check("backup_signature", expected["backup_signature"], bk_signature)
check("backup_bundle", expected["backup_bundle"], bk_bundle)


def read_bundle(data):
    """The reader's steps 1-4 of "Backup bundle"; returns the manifest's fields or raises Refused."""
    if len(data) < 46:
        raise Refused("shorter than a header")
    if data[:8] != BACKUP_MAGIC:
        raise Refused("not a backup")
    if struct.unpack(">H", data[8:10])[0] != 1:
        raise Refused("unknown version")
    key = data[10:42]
    m_len = struct.unpack(">I", data[42:46])[0]
    if m_len == 0 or m_len > 4096:
        raise Refused("manifest length out of range")
    if len(data) < 46 + m_len + 64:
        raise Refused("truncated")
    manifest = data[46:46 + m_len]
    sig = data[46 + m_len:46 + m_len + 64]
    if not verifies(sig, b"brankas-backup-sig-v1" + data[:46 + m_len], key):
        raise Refused("signature does not verify")
    if m_len != 153 or manifest[0] != 1:
        raise Refused("malformed manifest")
    (vid, events, head, created, gen, schema, k_size, k_hash, s_size, s_hash) = struct.unpack(
        ">16sQ32sqII Q32sQ32s".replace(" ", ""), manifest[1:])
    if not (1 <= k_size <= 4 * 1024 * 1024) or not (1 <= s_size <= 2 ** 40) or events == 0 or gen == 0:
        raise Refused("malformed manifest")
    body = data[46 + m_len + 64:]
    if len(body) != k_size + s_size:
        raise Refused("length disagrees with the manifest")
    if hashlib.blake2b(body[:k_size], digest_size=32).digest() != k_hash:
        raise Refused("keyring does not match its hash")
    if hashlib.blake2b(body[k_size:], digest_size=32).digest() != s_hash:
        raise Refused("store does not match its hash")
    return dict(vault_id=vid, events=events, head=head, created=created, generation=gen, schema=schema)


def bundle_refusal(data):
    try:
        read_bundle(data)
        return None
    except Refused as e:
        return str(e)


check("backup_bundle reads", dict(vault_id=vault_id, events=2, head=hash2, created=t2, generation=1, schema=4),
      read_bundle(expected["backup_bundle"]))
flipped = bytearray(expected["backup_bundle"])
flipped[60] ^= 0x01                      # inside the manifest
check("backup byte 60 changed", "signature does not verify", bundle_refusal(bytes(flipped)))
flipped = bytearray(expected["backup_bundle"])
flipped[-1] ^= 0x01                      # the store's last byte
check("backup last byte changed", "store does not match its hash", bundle_refusal(bytes(flipped)))
flipped = bytearray(expected["backup_bundle"])
flipped[42:46] = b"\xff\xff\xff\xff"   # manifest_length
check("backup manifest length ffffffff", "manifest length out of range", bundle_refusal(bytes(flipped)))
check("backup without its last byte", "length disagrees with the manifest", bundle_refusal(expected["backup_bundle"][:-1]))


# --- "Replay test vectors": the fixture's whole log, verified and replayed -----------------
import independent_replay as ir

FIXTURE = os.path.join(HERE, "..", "fixtures", "vault-0.1")
fixture_keyring = open(os.path.join(FIXTURE, "keyring"), "rb").read()
fixture_vault_id = fixture_keyring[10:26]          # after the magic and the version
exported = ir.read_export(os.path.join(HERE, "replay-vault-0.1.jsonl"))
with open(os.path.join(FIXTURE, "checkpoint.chk"), "rb") as f:
    fixture_checkpoint = ir.parse_checkpoint(f.read())
check("the fixture's checkpoint parses", True, fixture_checkpoint is not None)
check("the fixture's log verifies, replayed from the spec", (None, None),
      ir.verify(exported, fixture_vault_id, fixture_checkpoint))
check("the export has every action", 43, len({row[3] for row in exported["events"][1]}))

# "Dual control": a second log (a request granted and used, another rejected) verifies, and the
# used request set back to pending in its table does not.
dual = ir.read_export(os.path.join(HERE, "replay-dual-control.jsonl"))
dual_vault_id = dual["vault"][1][0][dual["vault"][0].index("vault_id")]
check("the dual-control log verifies, replayed from the spec", (None, None), ir.verify(dual, dual_vault_id))
dual_actions = {"approval.request", "approval.grant", "approval.reject", "policy.set", "user.disable", "recovery.split"}
check("the dual-control log has its actions", dual_actions, {row[3] for row in dual["events"][1]} & dual_actions)
unused = copy.deepcopy(dual)
unused["approvals"][1][0][7:9] = ["pending", None]
check("a used request set back to pending is caught", (None, "the stored table 'approvals' row 1 differs from what the log says"),
      ir.verify(unused, dual_vault_id))
# The request that lifted dual control over the policy, set back to pending, is caught too.
columns = dual["approvals"][0]
lift_row = next(i for i, row in enumerate(dual["approvals"][1]) if row[columns.index("action")] == "policy_set")
unused_lift = copy.deepcopy(dual)
unused_lift["approvals"][1][lift_row][7:9] = ["pending", None]
check("a used policy_set request set back to pending is caught",
      (None, f"the stored table 'approvals' row {lift_row + 1} differs from what the log says"), ir.verify(unused_lift, dual_vault_id))
# So are the re-key's and the recovery split's, which the user.disable and recovery.split used.
for step in ("rekey", "recovery_split"):
    row = next(i for i, r in enumerate(dual["approvals"][1]) if r[columns.index("action")] == step)
    check(f"the {step} request was used", "used", dual["approvals"][1][row][columns.index("state")])
    reopened = copy.deepcopy(dual)
    reopened["approvals"][1][row][7:9] = ["pending", None]
    check(f"a used {step} request set back to pending is caught",
          (None, f"the stored table 'approvals' row {row + 1} differs from what the log says"), ir.verify(reopened, dual_vault_id))

# "Handovers": a third log (records given and edited, a handover released and completed, one
# completed without the release where the policy allowed it) verifies; without that policy, or
# with a release the table forgot, it does not.
rel = ir.read_export(os.path.join(HERE, "replay-release.jsonl"))
rel_vault_id = rel["vault"][1][0][rel["vault"][0].index("vault_id")]
check("the release log verifies, replayed from the spec", (None, None), ir.verify(rel, rel_vault_id))
check("the release log has its actions", {"user.edit", "handover.release"},
      {row[3] for row in rel["events"][1]} & {"user.edit", "handover.release"})
forgotten = copy.deepcopy(rel)
forgotten["handover_releases"][1].clear()
check("a release missing from its table is caught",
      (None, "the stored table 'handover_releases' has 0 rows, the log makes 1"), ir.verify(forgotten, rel_vault_id))

# "Rotation": a fourth log (a custodian's rotation outside every term by break-glass, flagged, an
# admin's confirmation, an ordinary rotation inside the term) verifies, its flag decided again.
rot = ir.read_export(os.path.join(HERE, "replay-rotation.jsonl"))
rot_vault_id = rot["vault"][1][0][rot["vault"][0].index("vault_id")]
check("the rotation log verifies, replayed from the spec", (None, None), ir.verify(rot, rot_vault_id))
flagged = [row for row in rot["events"][1] if row[3] == "secret.pending" and b"break_glass" in row[5]]
check("the rotation log has three flagged rotations", 3, len(flagged))
finished = [(row[2], row[3]) for row in rot["events"][1] if row[3] in ("secret.confirm", "secret.abort") and b"break_glass" in row[5]]
check("their starter finished two of them, flagged", [("operator1", "secret.confirm"), ("operator1", "secret.abort")], finished)
# The same district's forged sequel: another custodian of the sub-district confirms the starter's
# break-glass rotation outside every term (signed with their own key): refused at that event.
forged = ir.read_export(os.path.join(HERE, "replay-rotation-forged.jsonl"))
last = forged["events"][1][-1]
check("the forged log ends with operator2's confirmation", ("operator2", "secret.confirm"), (last[2], last[3]))
check("another custodian finishing a break-glass rotation outside every term is refused",
      (last[0], f"event {last[0]} (secret.confirm) is not allowed (rotate)"),
      ir.verify(forged, forged["vault"][1][0][forged["vault"][0].index("vault_id")]))

# "Replay test vectors", the fifth log: reads and check-outs by break-glass past another's hold
# and outside every term, their flags decided again; its forged sequel (a custodian's read outside
# every term once the policy lets only admins read there) is refused at that event.
rev = ir.read_export(os.path.join(HERE, "replay-reveal.jsonl"))
rev_vault_id = rev["vault"][1][0][rev["vault"][0].index("vault_id")]
check("the reveal log verifies, replayed from the spec", (None, None), ir.verify(rev, rev_vault_id))
flagged = [(row[2], row[3]) for row in rev["events"][1] if row[3] in ("secret.read", "checkout")
           and ir.decode_body(row[5])[5].get("break_glass", (ir.INT, 0))[1] == 1]
check("the reveal log has four flagged steps",
      [("operator2", "secret.read"), ("operator2", "checkout"), ("operator1", "secret.read"), ("admin", "secret.read")], flagged)
forged = ir.read_export(os.path.join(HERE, "replay-reveal-forged.jsonl"))
last = forged["events"][1][-1]
check("the forged reveal log ends with operator1's read", ("operator1", "secret.read"), (last[2], last[3]))
check("a custodian's read outside every term under `reveals = false` is refused",
      (last[0], f"event {last[0]} (secret.read) is not allowed (read_secret)"),
      ir.verify(forged, forged["vault"][1][0][forged["vault"][0].index("vault_id")]))

# "Replay test vectors", the sixth log: an end of term whose unit.deactivate carries the fresh
# password of the account it deactivates, confirmed by an admin; its forged sequel (another
# sub-district's end carrying a fresh password sealed to its standby key) is refused there.
enf = ir.read_export(os.path.join(HERE, "replay-enforce.jsonl"))
enf_vault_id = enf["vault"][1][0][enf["vault"][0].index("vault_id")]
check("the enforcement log verifies, replayed from the spec", (None, None), ir.verify(enf, enf_vault_id))
carried = [(row[3], row[4], sorted(k for k in ir.decode_body(row[5])[5] if k.startswith("fresh.")))
           for row in enf["events"][1] if row[3] == "unit.deactivate"]
check("its unit.deactivate carries the fresh password of account 1", [("unit.deactivate", "35.02.01", ["fresh.1"])], carried)
check("no secret.pending of the enforcer beside it", [],
      [row[0] for row in enf["events"][1] if row[3] == "secret.pending" and row[2] == "enforcer"])
forged = ir.read_export(os.path.join(HERE, "replay-enforce-forged.jsonl"))
last = forged["events"][1][-1]
check("the forged enforcement log ends with the enforcer's unit.deactivate", ("enforcer", "unit.deactivate"), (last[2], last[3]))
refused = ir.verify(forged, forged["vault"][1][0][forged["vault"][0].index("vault_id")])
check("a fresh password sealed to a standby key the unit does not use is refused",
      (last[0], True), (refused[0], refused[1] is not None and "fresh password" in refused[1]))

# "Policy document": forbid rules that name units or people, and whom and where they refuse.
pol = ir.parse_policy(b'[[forbid]]\naction = "checkout"\nunits = ["35.02.01"]\n\n[[forbid]]\naction = "read_secret"\npeople = ["budi"]\n')
check("forbid rules naming units and people parse", True, pol is not None)
check("a rule naming a unit refuses there", True, ir.forbidden(pol, "siti", "custodian", "checkout", "35.02.01"))
check("a rule naming a unit refuses nowhere else", False, ir.forbidden(pol, "siti", "custodian", "checkout", "35.02.02"))
check("a rule naming a unit never speaks to no unit", False, ir.forbidden(pol, "siti", "admin", "checkout", None))
check("a rule naming a person refuses them, whatever their role", True, ir.forbidden(pol, "budi", "admin", "read_secret", "35.02.02"))
check("a rule naming a person refuses nobody else", False, ir.forbidden(pol, "siti", "admin", "read_secret", "35.02.02"))
check("a set_policy rule without a role is refused", None,
      ir.parse_policy(b'[[forbid]]\naction = "set_policy"\npeople = ["budi"]\n'))

# "Writing your own verifier", step 3: a slot of the fixture opens with its passphrase, and its
# public keys are that principal's in the store.
fixture_slots, _ = read_keyring(fixture_keyring)
for person in ("admin", "aud"):
    sid = hashlib.blake2b(b"brankas-slot-id-v1" + fixture_vault_id + str8(person), digest_size=32).digest()[:16]
    fields, hdr, ct = fixture_slots[sid]
    with open(os.path.join(FIXTURE, "TEST-ONLY-passphrases", person + ".txt"), encoding="utf-8") as f:
        pw = f.read().rstrip("\n")
    opened = nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
        ct, MAGIC + u16(VERSION) + fixture_vault_id + hdr, fields["nonce"], kek(pw, fields["salt"], fields["ops"], fields["mem"]))
    row = next(r for r in exported["principals"][1] if r[0] == person)
    check(f"{person}'s slot opens to the keys the store lists", (row[3], row[4]),
          (nb.crypto_sign_seed_keypair(opened[33:65])[0], nb.crypto_scalarmult_base(opened[65:97])))


# "unit.deactivate": the fixture's end of term (event 102) followed by the enforcer's
# `secret.pending` of account 3 (event 103), written the other way: 103's password carried by 102
# as `fresh.3`, signed again by `penegak` (its key file opens its slot), the log ending there.
# It adds the same `pending_secrets` row, named after 102; a fresh password that is not the
# account's next version sealed to the switched key, or for an account the event does not
# deactivate, is refused.
def replayed(events):
    """The tables a replay of `events` rebuilds (signatures not checked: see ir.verify), or why
    an event did not apply."""
    replay = ir.Replay()
    for row in events:
        try:
            ir.ACTIONS[row[3]](ir.Applier(replay, ir.Event(*ir.decode_body(row[5]))))
        except ir.NotApplied as err:
            return f"event {row[0]} ({row[3]}) {err}"
    return {name: (ir.SCHEMA[name][0], replay.export(name)) for name in ir.COMPARED}


sid = hashlib.blake2b(b"brankas-slot-id-v1" + fixture_vault_id + str8("penegak"), digest_size=32).digest()[:16]
fields, hdr, ct = fixture_slots[sid]
with open(os.path.join(FIXTURE, "TEST-ONLY-enforcer.key"), "rb") as f:
    enforcer_key = f.read()
enforcer_sk = nb.crypto_sign_seed_keypair(nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
    ct, MAGIC + u16(VERSION) + fixture_vault_id + hdr, fields["nonce"], enforcer_key)[33:65])[1]
log = exported["events"][1]
check("events 102 and 103 are the end of term and the enforcer's password", [
    (102, "penegak", "unit.deactivate", "35.02.02"), (103, "penegak", "secret.pending", "account/3")],
    [(row[0], row[2], row[3], row[4]) for row in log[101:103]])
end_seq, end_t, end_actor, end_action, end_target, end_fields = ir.decode_body(log[101][5])
pending_fields = ir.decode_body(log[102][5])[5]
sealed3 = pending_fields["sealed"][1]


def ended_with(fresh, listed=end_fields):
    """The log up to 101, then event 102 with the `listed` fields and `fresh` ({key: (type,
    value)}), signed."""
    body = event_body(end_seq, end_t, end_actor, end_action, end_target, {**listed, **fresh})
    h = chain(log[100][6], body)
    return log[:101] + [[end_seq, end_t, end_actor, end_action, end_target, body, h,
                         sign(enforcer_sk, b"brankas-event-sig-v1" + h)]]


def fresh_value(version, key_version, sealed=sealed3):
    return u64(version) + u64(key_version) + sealed


good = ended_with({"fresh.3": (BYTES, fresh_value(2, 4))})
tables = replayed(good)
if isinstance(tables, str):
    check("an end of term carrying a fresh password applies", None, tables)
    tables = replayed(log[:101])
check("an end of term carrying a fresh password verifies", (None, None),
      ir.verify({**tables, "events": (exported["events"][0], good)}, fixture_vault_id))
separate = replayed(log[:103])
check("it adds the row the enforcer's secret.pending added, named after itself",
      [row[:7] + [102, 102] + row[9:] for row in separate["pending_secrets"][1]], tables["pending_secrets"][1])
check("and leaves every other table as the two events did", [],
      [name for name in ir.COMPARED if name != "pending_secrets" and tables[name] != separate[name]])
for what, fresh, why in [
        ("the version after next", {"fresh.3": (BYTES, fresh_value(3, 4))},
         "has a fresh password for account 3 that is not its next pending version"),
        ("the key it switches away from", {"fresh.3": (BYTES, fresh_value(2, 3))},
         "has a fresh password for account 3 that is not its next pending version"),
        ("another unit's account", {"fresh.1": (BYTES, fresh_value(4, 4))},
         "has a fresh password for account 1, which it does not deactivate"),
        ("an archived account", {"fresh.4": (BYTES, fresh_value(1, 4))},
         "has a fresh password for account 4, which it does not deactivate"),
        ("a leading zero", {"fresh.03": (BYTES, fresh_value(2, 4))}, "has an unexpected field 'fresh.03'"),
        ("a short sealed secret", {"fresh.3": (BYTES, fresh_value(2, 4, sealed3[:48]))}, "has a malformed 'fresh.3'"),
        ("text", {"fresh.3": (TEXT, "password")}, "has a malformed 'fresh.3'")]:
    check(f"a fresh password with {what} is refused", (102, f"event 102 (unit.deactivate) {why}"),
          ir.verify({**tables, "events": (exported["events"][0], ended_with(fresh))}, fixture_vault_id))
# 253 of them: a body without `key_version` holds that many fields, but the list allows 252.
many = ended_with({f"fresh.{i}": (BYTES, fresh_value(1, 4)) for i in range(1, 254)},
                  {k: v for k, v in end_fields.items() if k != "key_version"})
check("253 fresh passwords are refused",
      (102, "event 102 (unit.deactivate) has more fresh passwords than a body may carry"),
      ir.verify({**tables, "events": (exported["events"][0], many)}, fixture_vault_id))
# One for an account that already has a pending version (none does in the fixture: the replay's
# state is given one before event 102 is applied).
replay = ir.Replay()
for row in good[:101]:
    ir.ACTIONS[row[3]](ir.Applier(replay, ir.Event(*ir.decode_body(row[5]))))
replay.t["pending_secrets"][(3,)] = dict(zip(ir.SCHEMA["pending_secrets"][0], separate["pending_secrets"][1][0]))
try:
    ir.ACTIONS["unit.deactivate"](ir.Applier(replay, ir.Event(*ir.decode_body(good[101][5]))))
    refusal = None
except ir.NotApplied as err:
    refusal = str(err)
check("a fresh password for an account with a pending version is refused",
      "has a fresh password for account 3, which has a pending version", refusal)


def altered(change):
    """A deep copy of the export, changed by `change`, verified."""
    copy = {name: (columns, [list(r) for r in rows]) for name, (columns, rows) in exported.items()}
    change(copy)
    return ir.verify(copy, fixture_vault_id, fixture_checkpoint)


def edit_handle(t):
    t["accounts"][1][0][3] = "panwascam.ponorog0"


check("an account's handle edited outside the log", (None, "the stored table 'accounts' row 1 differs from what the log says"),
      altered(edit_handle))
check("a checkpoint's row removed", (None, "the stored table 'checkpoints' has 0 rows, the log makes 1"),
      altered(lambda t: t["checkpoints"][1].clear()))



def miscount_steps_left(t):
    t["checklists"][1][0][3] += 1


check("a checklist's count of steps left edited outside the log",
      (None, "the stored table 'checklists' row 1 differs from what the log says"), altered(miscount_steps_left))


def flip_signature(t):
    t["events"][1][49][7] = bytes([t["events"][1][49][7][0] ^ 1]) + t["events"][1][49][7][1:]


check("a signature altered", (50, "its signature does not verify"), altered(flip_signature))


def rewrite_edit(t):
    """Event 45's e-mail made invalid, every hash from it on recomputed, the signatures kept."""
    events = t["events"][1]
    row = events[44]
    check("event 45 is the account.edit", "account.edit", row[3])
    body = row[5]
    old = str16("panwascam.babadan@example.org")
    new = str16("panwascam.babadan")
    check("event 45 sets that e-mail", True, old in body)
    body = body.replace(old, new)
    row[5] = body
    previous = events[43][6]
    for r in events[44:]:
        r[6] = hashlib.blake2b(previous + r[5], digest_size=32).digest()
        previous = r[6]


check("an event whose signature and replay both fail is named for its signature",
      (45, "its signature does not verify"), altered(rewrite_edit))

# "Checkpoint": the one strict grammar.
cp_text = open(os.path.join(FIXTURE, "checkpoint.chk"), "rb").read()
for what, text in [("a leading zero", cp_text.replace(b"sequence: 86", b"sequence: 086")),
                   ("a sign", cp_text.replace(b"sequence: 86", b"sequence: +86")),
                   ("no final line feed", cp_text[:-1]),
                   ("a trailing blank line", cp_text + b"\n"),
                   ("CR LF line ends", cp_text.replace(b"\n", b"\r\n")),
                   ("upper-case hex", cp_text.replace(b"head: 3b5c", b"head: 3B5C")),
                   ("lines out of order", b"\n".join([cp_text.split(b"\n")[i] for i in (0, 2, 1, 3, 4, 5, 6, 7, 8)]))]:
    check(f"a checkpoint with {what} is refused", None, ir.parse_checkpoint(text))
spec_checkpoint = ir.parse_checkpoint(block.lstrip("\n").encode())
check("the spec's checkpoint file parses and its signature verifies", True,
      spec_checkpoint is not None and ir.checkpoint_signed(spec_checkpoint))

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
