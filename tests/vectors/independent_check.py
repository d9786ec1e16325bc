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
OPSLIMIT, MEMLIMIT = 1, 8192


def slot_id(principal):
    # Truncated BLAKE2b-256 (not BLAKE2b with a 16-byte digest, which differs).
    h = hashlib.blake2b(b"brankas-slot-id-v1" + vault_id + str8(principal), digest_size=32)
    return h.digest()[:16]


def slot_header(principal, kind, created_us, expires_us, kdf, ops, mem, salt, nonce):
    return (slot_id(principal) + u8(kind) + i64(created_us) + i64(expires_us) + u8(kdf)
            + u64(ops) + u64(mem) + salt + nonce)


def kek(pw, salt, ops, mem):
    # libsodium crypto_pwhash Argon2id v1.3: memlimit in bytes, 1 lane, 32-byte output.
    return nb.crypto_pwhash_alg(32, pw.encode("utf-8"), salt, ops, mem,
                                nb.crypto_pwhash_ALG_ARGON2ID13)


def associated_data(header):
    return MAGIC + u16(1) + vault_id + header


header = slot_header(admin, 1, slot_created, 0, 1, OPSLIMIT, MEMLIMIT, salt, nonce)
ad = associated_data(header)
key = kek(passphrase, salt, OPSLIMIT, MEMLIMIT)
payload = u8(1) + k_db + signing_seed + box_secret
assert len(payload) == 97
ciphertext = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, ad, nonce, key)
slot_body = header + u16(len(ciphertext)) + ciphertext
keyring = MAGIC + u16(1) + vault_id + u16(1) + u16(len(slot_body)) + slot_body

check("slot_id", expected["slot_id"], slot_id(admin))
check("slot_kek", expected["slot_kek"], key)
check("slot_associated_data", expected["slot_associated_data"], ad)
check("slot_ciphertext", expected["slot_ciphertext"], ciphertext)
check("slot_ciphertext_length", 113, len(ciphertext))
check("keyring_file", expected["keyring_file"], keyring)


def open_slot(pw, header, ct):
    """Returns the payload, or None on a failed tag ("wrong passphrase")."""
    try:
        return nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
            ct, associated_data(header), nonce, kek(pw, salt, OPSLIMIT, MEMLIMIT))
    except Exception:
        return None


# Decrypt the expected ciphertext and check the payload layout.
opened = open_slot(passphrase, header, expected["slot_ciphertext"])
check("slot_payload_opens", True, opened is not None)
if opened is not None:
    check("slot_payload_length", 97, len(opened))
    check("slot_payload_version", 1, opened[0])
    check("slot_payload_k_db", k_db, opened[1:33])
    check("slot_payload_signing_seed", signing_seed, opened[33:65])
    check("slot_payload_box_secret", box_secret, opened[65:97])
    # "Slot encryption": public keys derived from the payload match those of the store.
    check("slot_payload_public_keys", (signing_pk, box_pk),
          (nb.crypto_sign_seed_keypair(opened[33:65])[0], nb.crypto_scalarmult_base(opened[65:97])))

# --- "Test vectors": expected failures ----------------------------------------
check("wrong passphrase fails", None,
      open_slot("correct horse battery stapler", header, expected["slot_ciphertext"]))
altered = slot_header(admin, 1, slot_created, 1, 1, OPSLIMIT, MEMLIMIT, salt, nonce)  # expires_us 0 -> 1
check("expires_us changed fails", None, open_slot(passphrase, altered, expected["slot_ciphertext"]))
# One byte of event 2's body changed (time_us low byte): its hash no longer recomputes.
bad_body2 = bytearray(expected["event2_body"])
bad_body2[16] ^= 0x01
check("event2 altered body changes hash", False,
      chain(expected["event1_hash"], bytes(bad_body2)) == expected["event2_hash"])

print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
