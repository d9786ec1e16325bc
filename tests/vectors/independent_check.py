#!/usr/bin/python3
"""Independent check of docs/formats.md against tests/vectors/formats.txt.

Written from formats.md alone (not from the C++ sources). Usage:
    independent_check.py [formats.txt] [formats.md]
Needs PyNaCl (Debian: python3-nacl).
"""
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

# --- "Recovery shares" --------------------------------------------------------
recovery_key = bytes(range(0x60, 0x80))
split_id = bytes.fromhex("b0b1b2b3b4b5b6b7")
coefficient = bytes(range(0xe0, 0x100))   # a_1: threshold 2, so f_j(x) = key[j] + a_1[j]·x
SHARE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def gf_mul(a, b):
    # GF(2^8), reduction polynomial x^8 + x^4 + x^3 + x^2 + 1
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11d
        b >>= 1
    return r


def gf_inv(a):
    return next(b for b in range(1, 256) if gf_mul(a, b) == 1)


def share_y(x):
    return bytes(k ^ gf_mul(c, x) for k, c in zip(recovery_key, coefficient))


def interpolate_at_zero(points):
    # Lagrange at 0 in characteristic 2: key = sum_i y_i * prod_{m != i} x_m / (x_m - x_i)
    out = bytearray(32)
    for i, (xi, yi) in enumerate(points):
        w = 1
        for m, (xm, _) in enumerate(points):
            if m != i:
                w = gf_mul(w, gf_mul(xm, gf_inv(xm ^ xi)))
        for j in range(32):
            out[j] ^= gf_mul(yi[j], w)
    return bytes(out)


def share_record(holder, y, threshold=2, shares=3, vid=vault_id):
    record = u8(1) + vid + split_id + u8(threshold) + u8(shares) + u8(holder) + y
    return record + hashlib.blake2b(b"brankas-recovery-share-v1" + record, digest_size=32).digest()[:5]


def to_symbols(data):
    bits = "".join(f"{b:08b}" for b in data)
    return [int(bits[i:i + 5], 2) for i in range(0, len(bits), 5)]


def line_check(n, values):
    h = hashlib.blake2b(b"brankas-share-line-v1" + u8(n) + bytes(values), digest_size=32).digest()
    return SHARE_ALPHABET[h[0] % 32]


def share_text(holder, y, threshold=2, shares=3, institution_name="Bawaslu Kabupaten Ponorogo"):
    values = to_symbols(share_record(holder, y, threshold, shares))
    text = (f"BRANKAS RECOVERY SHARE {holder} of {shares} (any {threshold} of them recover the vault)\n"
            f"Vault: {institution_name}\nVault id: {vault_id.hex()}\nSplit: {split_id.hex()}\n\n")
    for n in range(1, 7):
        line = values[(n - 1) * 20:n * 20]
        groups = ["".join(SHARE_ALPHABET[v] for v in line[i:i + 4]) for i in range(0, len(line), 4)]
        text += f"{n}: " + " ".join(groups) + "  " + line_check(n, line) + "\n"
    text += ("\nType the numbered lines exactly as printed (spaces do not matter; the last symbol of each\n"
             "line checks it). Keep this paper private: with enough other shares it opens the vault.\n")
    return text.encode("utf-8")


def read_share_lines(text):
    # The numbered lines only; returns the symbol values, or the first refusal.
    values = []
    n = 0
    for raw in text.decode("utf-8").split("\n"):
        line = raw.strip(" \t")
        head, _, rest = line.partition(":")
        if not head.isdigit() or len(head) > 2 or not _:
            continue
        n += 1
        tokens = rest.split()
        symbols = [SHARE_ALPHABET.index(c) for c in "".join(tokens[:-1]).upper().replace("O", "0").replace("I", "1").replace("L", "1")]
        if int(head) != n or len(symbols) != (20 if n < 6 else 4) or line_check(n, symbols) != tokens[-1].upper():
            return f"line {n}"
        values += symbols
    bits = "".join(f"{v:05b}" for v in values)
    data = bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
    if hashlib.blake2b(b"brankas-recovery-share-v1" + data[:60], digest_size=32).digest()[:5] != data[60:]:
        return "checksum"
    return data


for h in (1, 2, 3):
    check(f"share{h}_y", expected[f"share{h}_y"], share_y(h))
check("share1_record", expected["share1_record"], share_record(1, share_y(1)))
check("share1_text", expected["share1_text"], share_text(1, share_y(1)))
check("shares 1 and 3 interpolate to the key", recovery_key, interpolate_at_zero([(1, share_y(1)), (3, share_y(3))]))
check("shares 2 and 3 interpolate to the key", recovery_key, interpolate_at_zero([(2, share_y(2)), (3, share_y(3))]))
check("share1_text reads back", expected["share1_record"], read_share_lines(expected["share1_text"]))
# Expected failures: share 1 alone interpolates to its own y, not the key; a changed symbol on
# line 2 is caught by that line's check symbol.
check("one share is not the key", False, interpolate_at_zero([(1, share_y(1))]) == recovery_key)
at = expected["share1_text"].index(b"\n2: ") + 4
line2 = to_symbols(share_record(1, share_y(1)))[20:40]
# A symbol whose change line 2's check symbol catches (31 in 32 do).
other = next(c for c in SHARE_ALPHABET if c != SHARE_ALPHABET[line2[0]]
             and line_check(2, [SHARE_ALPHABET.index(c)] + line2[1:]) != line_check(2, line2))
typo = bytearray(expected["share1_text"])
typo[at] = ord(other)
check("share1_text with a typo on line 2 is refused there", "line 2", read_share_lines(bytes(typo)))

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
