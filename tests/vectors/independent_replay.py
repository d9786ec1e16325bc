"""A verifier of a whole log, written from docs/formats.md alone ("Verification", "The replay",
"Tables", "Policy document", "Checkpoint", "Replay test vectors"), not from the C++ sources.

verify(tables, vault_id, checkpoint) walks the `events` of an exported store, checks every
event in the order of "Verification", replays it into tables of its own, and compares them
with the exported projection. It returns (None, None) when everything holds, or
(seq or None, reason) naming the first failure.

Needs PyNaCl (Debian: python3-nacl) and Python 3.11 (tomllib).
"""
import hashlib
import json
import re
import struct
import tomllib

from nacl import bindings as nb

# --- "Tables": every table of schema 15 (the tables of version 11: versions 12, 13 and 15 change only indexes, 14 a CHECK), its columns in order, and its key
SCHEMA = {
    "events": (["seq", "time_us", "actor", "action", "target", "body", "hash", "signature"], ["seq"]),
    "vault": (["singleton", "vault_id", "institution", "created_seq", "store_generation", "store_key_check"], ["singleton"]),
    "principals": (["name", "role", "status", "signing_key", "box_key", "created_seq", "updated_seq"], ["name"]),
    "checkpoints": (["seq", "signer"], ["seq"]),
    "units": (["code", "name", "public_key", "key_version", "created_seq", "updated_seq"], ["code"]),
    "unit_keys": (["unit", "principal", "key_version", "sealed", "sealed_seq"], ["unit", "principal", "key_version"]),
    "unit_public_keys": (["unit", "key_version", "public_key", "introduced_seq", "introduced_by"], ["unit", "key_version"]),
    "grants": (["principal", "unit", "granted_seq", "revoked_seq"], ["principal", "unit", "granted_seq"]),
    "signing_keys": (["principal", "public_key", "introduced_seq", "retired_seq"], ["principal", "introduced_seq"]),
    "accounts": (["id", "unit", "platform", "handle", "email", "phone", "url", "status", "rotation_due", "version",
                  "created_seq", "updated_seq", "updated_by"], ["id"]),
    "secret_versions": (["account", "version", "key_version", "sealed", "has_totp", "reason", "set_by", "set_seq",
                         "sealed_seq", "set_us"], ["account", "version"]),
    "policy": (["singleton", "document", "set_seq"], ["singleton"]),
    "terms": (["name", "start_us", "end_us", "all_units", "created_seq", "updated_seq"], ["name"]),
    "term_units": (["term", "unit", "end_us", "updated_seq"], ["term", "unit"]),
    "checkouts": (["seq", "account", "holder", "reason", "version", "start_us", "until_us", "break_glass", "ended_seq",
                   "ended_how"], ["seq"]),
    "pending_secrets": (["account", "version", "key_version", "sealed", "has_totp", "reason", "set_by", "set_seq",
                         "sealed_seq", "break_glass"], ["account"]),
    "checklist_step_lists": (["list", "position", "step", "text", "waits"], ["list", "position"]),
    "checklists": (["account", "opened_seq", "list", "steps_left", "closed_seq"], ["account", "opened_seq"]),
    "checklist_steps": (["account", "opened_seq", "position", "wait_until_us", "done_seq", "done_by", "note"],
                        ["account", "opened_seq", "position"]),
    "handovers": (["id", "unit", "started_by", "receiver", "witness", "witnessed_by", "note", "accounts_digest", "state",
                   "started_seq", "accepted_seq", "witnessed_seq", "ended_seq", "release_asked"], ["id"]),
    "handover_outgoing": (["handover", "principal"], ["handover", "principal"]),
    "handover_accounts": (["handover", "account", "version", "fingerprint"], ["handover", "account"]),
    "approvals": (["id", "action", "target", "reason", "duration_us", "requester", "expires_us", "state", "ended_seq"],
                  ["id"]),
    "approval_votes": (["approval", "approver", "verdict", "reason", "seq"], ["approval", "approver"]),
    "principal_records": (["principal", "full_name", "nip", "position", "updated_seq"], ["principal"]),
    "handover_releases": (["handover", "principal", "seq"], ["handover", "principal"]),
}
# The order in which "Tables" says the projection is compared.
COMPARED = ["vault", "principals", "checkpoints", "units", "unit_keys", "unit_public_keys", "grants", "signing_keys",
            "accounts", "secret_versions", "policy", "terms", "term_units", "checkouts", "pending_secrets",
            "checklist_step_lists", "checklists", "checklist_steps", "handovers", "handover_outgoing",
            "handover_accounts", "approvals", "approval_votes", "principal_records", "handover_releases"]


def read_export(path):
    """"Replay test vectors": {table: (columns, [row, ...])}, values None, int, str or bytes."""
    tables = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            name = obj["table"]
            if "columns" in obj:
                tables[name] = (obj["columns"], [])
            else:
                tables[name][1].append([bytes.fromhex(v["blob"]) if isinstance(v, dict) else v for v in obj["row"]])
    return tables


def write_export(tables):
    """The inverse of read_export, as the same lines (for tests that alter an export)."""
    out = []
    for name, (columns, rows) in tables.items():
        out.append(json.dumps({"columns": columns, "table": name}, separators=(",", ":")))
        for row in rows:
            values = [{"blob": v.hex()} if isinstance(v, bytes) else v for v in row]
            out.append(json.dumps({"row": values, "table": name}, separators=(",", ":"), ensure_ascii=False))
    return "\n".join(out) + "\n"


# --- "Primitive encodings" ------------------------------------------------------------
NAME = re.compile(r"[a-z][a-z0-9._-]{0,31}\Z")
KEY = re.compile(r"[a-z0-9_.]{1,64}\Z")


def printable(s):
    """Printable text: well-formed UTF-8 (Python str holds no surrogates once decoded strictly)
    without U+0000-U+001F and U+007F-U+009F."""
    return not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in s)


def decode_text(b):
    try:
        s = b.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return None
    return s if printable(s) else None


class Refused(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise Refused("malformed event body: truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int(self, fmt, n):
        return struct.unpack(fmt, self.take(n))[0]

    def text(self, length_bytes, limit):
        n = self.int(">B", 1) if length_bytes == 1 else self.int(">H", 2)
        if n > limit:
            raise Refused("malformed event body: a length out of range")
        s = decode_text(self.take(n))
        if s is None:
            raise Refused("malformed event body: text that is not printable UTF-8")
        return s


TEXT, INT, BYTES = 1, 2, 3


def decode_body(body):
    """"Event body": strict decoding; returns (seq, time_us, actor, action, target, {key: (type, value)})."""
    if len(body) > 1 << 20:
        raise Refused("malformed event body: longer than 1 MiB")
    r = Reader(body)
    if r.int(">B", 1) != 1:
        raise Refused("malformed event body: unknown version")
    seq, time_us = r.int(">Q", 8), r.int(">q", 8)
    actor = r.text(1, 32)
    action = r.text(1, 64)
    target = r.text(2, 1024)
    if not NAME.match(actor) or not KEY.match(action):
        raise Refused("malformed event body: actor or action")
    count = r.int(">H", 2)
    if count > 256:
        raise Refused("malformed event body: too many fields")
    fields, previous = {}, None
    for _ in range(count):
        key = r.text(1, 64)
        if not KEY.match(key) or (previous is not None and key.encode() <= previous.encode()):
            raise Refused("malformed event body: field keys")
        typ = r.int(">B", 1)
        if typ == TEXT:
            value = r.text(2, 65535)
        elif typ == INT:
            value = r.int(">q", 8)
        elif typ == BYTES:
            n = r.int(">I", 4)
            if n > 65536:
                raise Refused("malformed event body: bytes field too long")
            value = r.take(n)
        else:
            raise Refused("malformed event body: unknown field type")
        fields[key] = (typ, value)
        previous = key
    if r.pos != len(body):
        raise Refused("malformed event body: trailing bytes")
    return seq, time_us, actor, action, target, fields


def chain(previous, body):
    return hashlib.blake2b(previous + body, digest_size=32).digest()


def signature_valid(key, message, signature):
    try:
        return nb.crypto_sign_open(signature + message, key) == message
    except Exception:
        return False


# --- "Policy document" ------------------------------------------------------------------
UNITS = [("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)]
SECOND = 1_000_000
DAY = 86400 * SECOND
POLICY_ACTIONS = ["read_metadata", "manage_units", "manage_accounts", "manage_people", "manage_terms", "set_policy",
                  "write_secret", "read_secret", "read_history", "take_checkpoint", "checkout", "checkin", "rotate",
                  "enforce", "tick_checklist", "create_backup", "recover", "start_handover", "accept_handover",
                  "witness_handover", "cancel_handover", "complete_handover", "approve", "release_handover", "read_unit"]
ROLES = ["admin", "custodian", "auditor", "enforcer", "recovery"]
DEFAULT_STEPS = [("new-password", "Set the new password (from brankas) on the platform", False),
                 ("recovery", "Move the recovery e-mail and phone to the district's", False),
                 ("sessions", "Log out all sessions", False),
                 ("request", "Request deactivation on the platform", False),
                 ("waiting", "Platform waiting period", True),
                 ("confirmed", "Confirmed deactivated", False)]


def duration(value):
    """A duration in microseconds, or None if it is not one."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?", value)
    if not value or not m:
        return None
    total = sum(int(m.group(2 * i + 2)) * seconds for i, (_, seconds) in enumerate(UNITS) if m.group(2 * i + 2))
    return total * SECOND if total <= 3653 * 86400 else None


def step_text_ok(s):
    banned = {0x2028, 0x2029, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
    return 1 <= len(s.encode()) <= 200 and printable(s) and not any(ord(c) in banned for c in s)


def default_policy():
    return dict(time_zone="WIB", default_duration=2 * 3600 * SECOND, max_duration=8 * 3600 * SECOND,
                reason_required=True, exclusive=True, rotate_after_checkin=True, grace_period=7 * DAY,
                max_password_age=180 * DAY, break_glass_allowed=True, break_glass_roles=["admin"], break_glass_reveals=True,
                witness_required=False, rotate_before_accept=False, release_required=True, code_lifetime=72 * 3600 * SECOND,
                waiting_period=7 * DAY, steps=list(DEFAULT_STEPS), forbid=[], dual_actions=[],
                approvers=["admin"], approval_window=30 * 60 * SECOND, approvals_needed=1)


def parse_policy(document):
    """The policy of a valid document, or None."""
    if len(document) > 65536:
        return None
    try:
        root = tomllib.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    p = default_policy()
    tables = {"vault": ["time_zone"],
              "checkout": ["default_duration", "max_duration", "reason_required", "exclusive", "rotate_after_checkin"],
              "term": ["grace_period"], "rotation": ["max_password_age"], "break_glass": ["allowed", "roles", "reveals"],
              "handover": ["witness_required", "rotate_before_accept", "release_required"], "enrollment": ["code_lifetime"],
              "deactivation": ["waiting_period", "step"], "forbid": None,
              "dual_control": ["actions", "approvers", "window", "count"]}
    for name, value in root.items():
        if name not in tables:
            return None
        if name == "forbid":
            continue
        if not isinstance(value, dict) or any(k not in tables[name] for k in value):
            return None

    def boolean(table, key, into):
        if key in root.get(table, {}):
            v = root[table][key]
            if not isinstance(v, bool):
                raise Refused(key)
            p[into] = v

    def dur(table, key, into, positive=False, at_most=None):
        if key in root.get(table, {}):
            d = duration(root[table][key])
            if d is None or (positive and d <= 0) or (at_most is not None and d > at_most):
                raise Refused(key)
            p[into] = d

    try:
        if "time_zone" in root.get("vault", {}):
            if root["vault"]["time_zone"] not in ("WIB", "WITA", "WIT"):
                return None
            p["time_zone"] = root["vault"]["time_zone"]
        dur("checkout", "default_duration", "default_duration", positive=True)
        dur("checkout", "max_duration", "max_duration", positive=True)
        if p["default_duration"] > p["max_duration"]:
            return None
        for key in ("reason_required", "exclusive", "rotate_after_checkin"):
            boolean("checkout", key, key)
        dur("term", "grace_period", "grace_period")
        dur("rotation", "max_password_age", "max_password_age", positive=True)
        boolean("break_glass", "allowed", "break_glass_allowed")
        boolean("break_glass", "reveals", "break_glass_reveals")
        if "roles" in root.get("break_glass", {}):
            roles = root["break_glass"]["roles"]
            if (not isinstance(roles, list) or any(r not in ("admin", "custodian") for r in roles)
                    or len(set(roles)) != len(roles)):
                return None
            p["break_glass_roles"] = roles
        boolean("handover", "witness_required", "witness_required")
        boolean("handover", "rotate_before_accept", "rotate_before_accept")
        boolean("handover", "release_required", "release_required")
        dur("enrollment", "code_lifetime", "code_lifetime", positive=True, at_most=30 * DAY)
        dur("deactivation", "waiting_period", "waiting_period")
        dur("dual_control", "window", "approval_window", positive=True, at_most=7 * DAY)
    except Refused:
        return None
    dual = root.get("dual_control", {})
    if "actions" in dual:
        v = dual["actions"]
        if not isinstance(v, list) or any(a not in ("break_glass", "policy_set", "rekey", "recovery_split") for a in v) or len(set(v)) != len(v):
            return None
        p["dual_actions"] = v
    if "approvers" in dual:
        v = dual["approvers"]
        if (not isinstance(v, list) or not v or any(r not in ("admin", "custodian", "auditor") for r in v)
                or len(set(v)) != len(v)):
            return None
        p["approvers"] = v
    if "count" in dual:
        v = dual["count"]
        if type(v) is not int or not 1 <= v <= 5:
            return None
        p["approvals_needed"] = v
    if "step" in root.get("deactivation", {}):
        steps = root["deactivation"]["step"]
        if not isinstance(steps, list) or not 1 <= len(steps) <= 20 or not all(isinstance(s, dict) for s in steps):
            return None
        out = []
        for i, s in enumerate(steps):
            if set(s) - {"id", "text", "waits"} or "id" not in s or "text" not in s:
                return None
            if not isinstance(s["id"], str) or not re.fullmatch(r"[a-z0-9-]{1,32}", s["id"]):
                return None
            if any(s["id"] == o[0] for o in out) or not isinstance(s["text"], str) or not step_text_ok(s["text"]):
                return None
            waits = s.get("waits", False)
            if not isinstance(waits, bool) or (waits and (i == 0 or any(o[2] for o in out))):
                return None
            out.append((s["id"], s["text"], waits))
        p["steps"] = out
    if "forbid" in root:
        rules = root["forbid"]
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            return None
        for r in rules:
            if set(r) - {"action", "role", "people", "units"} or "action" not in r or not set(r) & {"role", "people", "units"}:
                return None
            if r["action"] not in POLICY_ACTIONS or ("role" in r and r["role"] not in ROLES):
                return None
            for key, ok in (("people", lambda n: PRINCIPAL_NAME.fullmatch(n)), ("units", unit_code_ok)):
                v = r.get(key)
                if v is not None and (not isinstance(v, list) or not 1 <= len(v) <= 100 or len(set(v)) != len(v)
                                      or not all(isinstance(x, str) and ok(x) for x in v)):
                    return None
            if r["action"] == "set_policy" and r.get("role", "admin") == "admin":
                return None
            p["forbid"].append(dict(action=r["action"], role=r.get("role"), people=r.get("people"), units=r.get("units")))
    return p


def forbidden(policy, actor, role, action, unit):
    """"Who may do what", step 3: a forbid rule for this action whose role, people and units (those
    it names) all include the actor and the unit; a rule naming units never speaks to no unit."""
    return any(f["action"] == action and f["role"] in (None, role) and (f["people"] is None or actor in f["people"])
               and (f["units"] is None or (unit is not None and unit in f["units"])) for f in policy["forbid"])


# --- "Checkpoint" -------------------------------------------------------------------------
def parse_checkpoint(text):
    """The strict grammar: a dict of the eight values, or None."""
    if len(text) > 4096:
        return None
    lines = text.split(b"\n")
    names = ["vault", "sequence", "head", "time-us", "signer", "signer-key", "signature"]
    if len(lines) != 9 or lines[8] != b"" or lines[0] != b"brankas checkpoint v1":
        return None
    out = {}
    for name, line in zip(names, lines[1:8]):
        prefix = name.encode() + b": "
        if not line.startswith(prefix):
            return None
        out[name] = line[len(prefix):].decode("ascii", errors="replace")
    hex_len = {"vault": 32, "head": 64, "signer-key": 64, "signature": 128}
    for name, n in hex_len.items():
        if not re.fullmatch("[0-9a-f]{%d}" % n, out[name]):
            return None
        out[name] = bytes.fromhex(out[name])
    for name, top in (("sequence", 2 ** 64 - 1), ("time-us", 2 ** 63 - 1)):
        if not re.fullmatch(r"0|[1-9][0-9]*", out[name]) or int(out[name]) > top:
            return None
        out[name] = int(out[name])
    if out["sequence"] == 0 or not NAME.match(out["signer"]):
        return None
    return out


def checkpoint_signed(c):
    message = (b"brankas-checkpoint-v1" + c["vault"] + struct.pack(">Q", c["sequence"]) + c["head"]
               + struct.pack(">q", c["time-us"]) + bytes([len(c["signer"])]) + c["signer"].encode())
    return signature_valid(c["signer-key"], message, c["signature"])


# --- "The replay" -----------------------------------------------------------------------
class NotApplied(Exception):
    pass


def fail(why):
    raise NotApplied(why)


PLATFORMS = {"instagram", "facebook", "x", "tiktok", "youtube", "threads", "email", "other"}
VISIBLE = re.compile(r"[\x21-\x7e]*\Z")


def valid_account(a):
    h = a["handle"]
    if a["platform"] not in PLATFORMS:
        return False
    # YouTube channels, Facebook pages and "other" are named in words: single spaces between them.
    words = a["platform"] in ("youtube", "facebook", "other")
    if words and (h.startswith(" ") or h.endswith(" ") or "  " in h):
        return False
    visible = VISIBLE.match(h.replace(" ", "")) if words else VISIBLE.match(h)
    if not 1 <= len(h) <= 100 or not visible or "/" in h or h.startswith("@") or any("A" <= c <= "Z" for c in h):
        return False
    e = a["email"]
    if e and (len(e) > 254 or not VISIBLE.match(e) or e.count("@") != 1 or e.startswith("@") or e.endswith("@")
              or "." not in e[e.index("@"):]):
        return False
    ph = a["phone"]
    if ph:
        if len(ph) > 20 or not ph[-1].isdigit() or sum(c.isdigit() for c in ph) < 6:
            return False
        for i, c in enumerate(ph):
            if c.isdigit() and c.isascii():
                continue
            if c == "+" and i == 0:
                continue
            if c in " -" and i > 0 and ph[i - 1].isdigit():
                continue
            return False
    u = a["url"]
    if u and (len(u) > 500 or not VISIBLE.match(u) or not (u.startswith("https://") or u.startswith("http://"))):
        return False
    return True


def unit_code_ok(code):
    return re.fullmatch(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", code) is not None


def term_name_ok(name):
    return 1 <= len(name.encode()) <= 64 and "," not in name and not name.startswith(" ") and not name.endswith(" ")


def numbered(target, prefix):
    m = re.fullmatch(re.escape(prefix) + r"([1-9][0-9]{0,17})", target)
    return int(m.group(1)) if m else None


def blank(s):
    return all(c in " \t\r\n" for c in s)


class Replay:
    def __init__(self):
        self.t = {name: {} for name in COMPARED}

    # --- rows ---
    def insert(self, table, **row):
        columns, key = SCHEMA[table]
        assert set(row) == set(columns), (table, set(columns) ^ set(row))
        k = tuple(row[c] for c in key)
        if k in self.t[table]:
            fail(f"adds a second row {k} to {table}")
        self.t[table][k] = row

    def rows(self, table, **where):
        return [r for r in self.t[table].values() if all(r[c] == v for c, v in where.items())]

    def one(self, table, **where):
        found = self.rows(table, **where)
        return found[0] if found else None

    def export(self, table):
        columns, key = SCHEMA[table]
        ordered = sorted(self.t[table].values(), key=lambda r: tuple(
            r[c].encode() if isinstance(r[c], str) else r[c] for c in key))
        return [[r[c] for c in columns] for r in ordered]

    # --- facts ---
    def policy(self):
        row = self.t["policy"].get((1,))
        return parse_policy(row["document"].encode()) if row else default_policy()

    def principal(self, name):
        return self.t["principals"].get((name,))

    def live_grant(self, principal, unit):
        return self.one("grants", principal=principal, unit=unit, revoked_seq=None)

    def unit(self, code):
        return self.t["units"].get((code,))

    def newest_version(self, code):
        return max((r["key_version"] for r in self.rows("unit_public_keys", unit=code)), default=0)

    def standby(self, code):
        v = self.newest_version(code)
        return v if v > self.unit(code)["key_version"] else None

    def term_state(self, code, now, policy):
        best, rank = "none", {"none": 0, "ended": 1, "upcoming": 2, "grace": 3, "active": 4}
        for term in self.t["terms"].values():
            row = self.t["term_units"].get((term["name"], code))
            if term["all_units"] != 1 and row is None:
                continue
            start = term["start_us"]
            end = row["end_us"] if row is not None and row["end_us"] is not None else term["end_us"]
            if end <= start:
                state = "ended"
            elif now >= end:
                state = "grace" if now < end + policy["grace_period"] else "ended"
            elif now >= start:
                state = "active"
            else:
                state = "upcoming"
            if rank[state] > rank[best]:
                best = state
        return best

    def open_checkout(self, account):
        return self.one("checkouts", account=account, ended_seq=None)

    def pending(self, account):
        return self.t["pending_secrets"].get((account,))


MATRIX = {}
for _a in ["manage_units", "manage_accounts", "manage_people", "manage_terms", "set_policy", "start_handover",
           "cancel_handover", "complete_handover"]:
    MATRIX[_a] = ("always", "never", "never", "never", "never")
MATRIX["enforce"] = ("always", "never", "never", "always", "never")
MATRIX["read_metadata"] = ("always", "always", "always", "always", "never")
MATRIX["take_checkpoint"] = ("always", "always", "always", "never", "never")
MATRIX["read_history"] = ("always", "own units", "always", "never", "never")
MATRIX["checkin"] = ("always", "own units", "never", "never", "never")
for _a in ["read_secret", "write_secret", "checkout", "rotate", "tick_checklist"]:
    MATRIX[_a] = ("always", "own units in term", "never", "never", "never")
for _a in ["create_backup", "witness_handover"]:
    MATRIX[_a] = ("always", "never", "always", "never", "never")
MATRIX["accept_handover"] = ("never", "always", "never", "never", "never")
MATRIX["release_handover"] = ("never", "always", "never", "never", "never")
MATRIX["recover"] = ("never", "never", "never", "never", "always")
MATRIX["approve"] = ("always", "always", "always", "never", "never")


# "Slot hashes": the optional field of the events that write a keyring slot (not checked here:
# the keyring is not part of the log).
SLOT_HASH = ("slot_hash", ("bytes", 32))


class Event:
    def __init__(self, seq, time_us, actor, action, target, fields):
        self.seq, self.t, self.actor, self.action, self.target, self.fields = seq, time_us, actor, action, target, fields


def take_fields(e, required, optional=()):
    """"Fields": every required field, optional ones, no other; each of its type. A type is TEXT,
    INT, BYTES or ("bytes", N)."""
    spec = dict(required)
    spec.update(dict(optional))
    for key in e.fields:
        if key not in spec:
            fail(f"has an unexpected field '{key}'")
    out = {}
    for key, want in spec.items():
        if key not in e.fields:
            if key in dict(required):
                fail(f"lacks its '{key}' field")
            continue
        typ, value = e.fields[key]
        if isinstance(want, tuple):
            if typ != BYTES or len(value) != want[1]:
                fail(f"has a malformed '{key}'")
        elif typ != want:
            fail(f"has a malformed '{key}'")
        out[key] = value
    return out


B32 = ("bytes", 32)
# "approval.request": a policy set's request names its document by BLAKE2b-256, in lower-case hex.
POLICY_DOCUMENT_TARGET = re.compile(r"policy/[0-9a-f]{64}")
# A recovery split's request names its shape: "recovery/<threshold>-of-<shares>", numbers without leading zeros.
RECOVERY_SPLIT_TARGET = re.compile(r"recovery/([1-9][0-9]*)-of-([1-9][0-9]*)")
PRINCIPAL_NAME = re.compile(r"[a-z][a-z0-9._-]{0,31}")
RECORD = [("full_name", TEXT), ("nip", TEXT), ("position", TEXT)]


def nip_ok(nip):
    """"user.edit": "-", or 18 digits: birth date, month of appointment, 1 or 2, a number from 001."""
    if nip == "-":
        return True
    if len(nip) != 18 or not nip.isascii() or not nip.isdigit():
        return False
    by, bm, bd, sy, sm = int(nip[0:4]), int(nip[4:6]), int(nip[6:8]), int(nip[8:12]), int(nip[12:14])
    return (by >= 1900 and 1 <= bm <= 12 and 1 <= bd <= 31 and sy >= 1900 and sy >= by and 1 <= sm <= 12
            and nip[14] in "12" and nip[15:] != "000")


class Applier:
    def __init__(self, replay, e):
        self.r, self.e = replay, e

    # --- "Who may do what: the decision" ---
    def decide(self, action, unit=None, own=None, term_by_own=False):
        """own: the action's own rules (a function returning False to refuse), run when step 1 permits.
        term_by_own: the own rules decide the term as well (a check-out, a rotation's start)."""
        e, r = self.e, self.r
        actor = r.principal(e.actor)
        if actor is None or actor["status"] != "active":
            fail("is by a user who is not active")
        policy = r.policy()
        grant = MATRIX[action][ROLES.index(actor["role"])]
        permitted = grant == "always"
        if grant in ("own units", "own units in term"):
            permitted = unit is not None and r.live_grant(e.actor, unit) is not None
            if permitted and grant == "own units in term" and action != "checkout" and not term_by_own:
                permitted = r.term_state(unit, e.t, policy) in ("active", "grace")
        if permitted and own is not None and own(actor, policy) is False:
            permitted = False
        if forbidden(policy, e.actor, actor["role"], action, unit):
            permitted = False
        if not permitted:
            fail(f"is not allowed ({action})")
        return actor, policy

    def account(self):
        i = numbered(self.e.target, "account/")
        row = self.r.t["accounts"].get((i,)) if i is not None else None
        if row is None:
            fail("names an account that does not exist")
        return row

    def existing_unit(self, code):
        u = self.r.unit(code)
        if u is None:
            fail(f"names sub-district {code}, which does not exist")
        return u

    def flag(self, account):
        account.update(rotation_due=1, updated_seq=self.e.seq, updated_by=self.e.actor)

    def end_checkout(self, c, how, policy):
        c.update(ended_seq=self.e.seq, ended_how=how)
        a = self.r.t["accounts"][(c["account"],)]
        if policy["rotate_after_checkin"] and a["status"] != "archived":
            self.flag(a)

    def switch(self, code, version):
        u = self.r.unit(code)
        key = self.r.t["unit_public_keys"][(code, version)]["public_key"]
        u.update(public_key=key, key_version=version, updated_seq=self.e.seq)
        for a in self.r.rows("accounts", unit=code):
            if a["status"] != "archived":
                self.flag(a)

    def retire(self, name):
        for k in self.r.rows("signing_keys", principal=name, retired_seq=None):
            k["retired_seq"] = self.e.seq

    def unit_list(self, text):
        if text == "":
            return []
        codes = text.split(",")
        for c in codes:
            self.existing_unit(c)
        if len(set(codes)) != len(codes):
            fail("names a unit twice")
        return codes

    def sealed_secret(self, value):
        if not 49 <= len(value) <= 16432:
            fail("lacks a sealed secret of an acceptable size")

    # --- the actions ---
    def vault_create(self):
        e = self.e
        f = take_fields(e, [("box_key", B32), ("institution", TEXT), ("role", TEXT), ("signing_key", B32),
                            ("vault_id", ("bytes", 16))])
        if e.seq != 1 or f["role"] != "admin" or e.target != "":
            fail("is not a genesis")
        self.r.insert("vault", singleton=1, vault_id=f["vault_id"], institution=f["institution"], created_seq=e.seq,
                      store_generation=1, store_key_check=None)
        self.r.insert("principals", name=e.actor, role="admin", status="active", signing_key=f["signing_key"],
                      box_key=f["box_key"], created_seq=e.seq, updated_seq=e.seq)
        self.r.insert("signing_keys", principal=e.actor, public_key=f["signing_key"], introduced_seq=e.seq,
                      retired_seq=None)

    def audit_checkpoint(self):
        take_fields(self.e, [])
        if self.e.target != "":
            fail("has a target")
        self.r.insert("checkpoints", seq=self.e.seq, signer=self.e.actor)

    def access_denied(self):
        take_fields(self.e, [("action", TEXT), ("reason", TEXT)])

    def unit_add(self):
        e = self.e
        f = take_fields(e, [("name", TEXT), ("public_key", B32)])
        self.decide("manage_units")
        if not unit_code_ok(e.target) or not 1 <= len(f["name"].encode()) <= 100 or self.r.unit(e.target):
            fail("is not a new unit")
        self.r.insert("units", code=e.target, name=f["name"], public_key=f["public_key"], key_version=1,
                      created_seq=e.seq, updated_seq=e.seq)
        self.r.insert("unit_public_keys", unit=e.target, key_version=1, public_key=f["public_key"],
                      introduced_seq=e.seq, introduced_by=e.actor)

    def unit_standby(self):
        e = self.e
        f = take_fields(e, [("key_version", INT), ("public_key", B32)])
        self.decide("manage_units")
        self.existing_unit(e.target)
        if self.r.standby(e.target) is not None or f["key_version"] != self.r.newest_version(e.target) + 1:
            fail("is not the next standby")
        self.r.insert("unit_public_keys", unit=e.target, key_version=f["key_version"], public_key=f["public_key"],
                      introduced_seq=e.seq, introduced_by=e.actor)

    def unit_key(self):
        e, r = self.e, self.r
        f = take_fields(e, [("key_version", INT), ("principal", TEXT), ("sealed", ("bytes", 80))])
        unit = self.existing_unit(e.target)
        actor = r.principal(e.actor)
        p = r.principal(f["principal"])
        v = f["key_version"]
        if p is None:
            fail("seals a key to nobody")
        if not 1 <= v <= r.newest_version(e.target):
            fail("seals a key version that does not exist")
        if p["role"] not in ("admin", "custodian", "recovery") or p["status"] == "disabled":
            fail("seals a key to someone who may not hold one")
        has = lambda who: (e.target, who, v) in r.t["unit_keys"]
        if actor["role"] == "admin":
            if p["role"] == "custodian" and v != unit["key_version"]:
                fail("seals an old key to a custodian")
        elif actor["role"] == "recovery" and p["name"] != e.actor:
            if p["role"] != "admin" or p["status"] != "pending" or not has(e.actor):
                fail("passes on a key the quorum may not")
        elif p["name"] == e.actor:
            if not has(e.actor):
                fail("re-seals a key it does not have")
        else:
            fail("seals a key, which it may not")
        if p["role"] == "custodian" and r.live_grant(p["name"], e.target) is None:
            fail("seals a key to a custodian without the unit")
        r.t["unit_keys"][(e.target, p["name"], v)] = dict(unit=e.target, principal=p["name"], key_version=v,
                                                          sealed=f["sealed"], sealed_seq=e.seq)

    def unit_rotate(self):
        e, r = self.e, self.r
        f = take_fields(e, [("key_version", INT), ("reason", TEXT)], [("public_key", B32)])
        self.decide("manage_people")
        self.existing_unit(e.target)
        v = f["key_version"]
        if "public_key" in f:
            if v != r.newest_version(e.target) + 1:
                fail("skips a key version")
            r.insert("unit_public_keys", unit=e.target, key_version=v, public_key=f["public_key"], introduced_seq=e.seq,
                     introduced_by=e.actor)
        elif r.standby(e.target) != v:
            fail("switches to a standby it does not have")
        self.switch(e.target, v)

    def account_add(self):
        e, r = self.e, self.r
        f = take_fields(e, [("handle", TEXT), ("platform", TEXT), ("unit", TEXT)],
                        [("email", TEXT), ("phone", TEXT), ("url", TEXT)])
        self.decide("manage_accounts")
        i = numbered(e.target, "account/")
        if i != max((k[0] for k in r.t["accounts"]), default=0) + 1:
            fail("does not add the next account")
        self.existing_unit(f["unit"])
        a = dict(id=i, unit=f["unit"], platform=f["platform"], handle=f["handle"], email=f.get("email", ""),
                 phone=f.get("phone", ""), url=f.get("url", ""), status="active", rotation_due=0, version=0,
                 created_seq=e.seq, updated_seq=e.seq, updated_by=e.actor)
        if not valid_account(a) or r.one("accounts", platform=a["platform"], handle=a["handle"]):
            fail("is not a valid new account")
        r.insert("accounts", **a)

    def account_edit(self):
        e, r = self.e, self.r
        f = take_fields(e, [], [(k, TEXT) for k in ("email", "handle", "phone", "platform", "url")])
        self.decide("manage_accounts")
        a = self.account()
        if a["status"] == "archived" or not f:
            fail("edits nothing, or an archived account")
        changed = dict(a, **f)
        other = r.one("accounts", platform=changed["platform"], handle=changed["handle"])
        if not valid_account(changed) or (other is not None and other["id"] != a["id"]):
            fail("is not a valid account")
        a.update(f, updated_seq=e.seq, updated_by=e.actor)

    def account_archive(self):
        take_fields(self.e, [])
        self.decide("manage_accounts")
        a = self.account()
        if a["status"] == "archived" or self.r.open_checkout(a["id"]) or self.r.pending(a["id"]):
            fail("may not be archived")
        a.update(status="archived", updated_seq=self.e.seq, updated_by=self.e.actor)

    SECRET = [("key_version", INT), ("reason", TEXT), ("sealed", BYTES), ("totp", INT), ("version", INT)]

    def secret_set(self):
        e, r = self.e, self.r
        f = take_fields(e, self.SECRET)
        a = self.account()
        self.decide("write_secret", a["unit"])
        self.sealed_secret(f["sealed"])
        if (a["status"] == "archived" or f["totp"] not in (0, 1) or f["version"] != a["version"] + 1
                or f["key_version"] != r.unit(a["unit"])["key_version"] or r.pending(a["id"])):
            fail("is not the next version")
        r.insert("secret_versions", account=a["id"], version=f["version"], key_version=f["key_version"],
                 sealed=f["sealed"], has_totp=f["totp"], reason=f["reason"], set_by=e.actor, set_seq=e.seq,
                 sealed_seq=e.seq, set_us=e.t)
        a.update(version=f["version"], rotation_due=0, updated_seq=e.seq, updated_by=e.actor)

    def secret_reseal(self):
        e, r = self.e, self.r
        f = take_fields(e, [("key_version", INT), ("sealed", BYTES), ("version", INT)])
        self.decide("manage_people")
        a = self.account()
        self.sealed_secret(f["sealed"])
        if f["key_version"] != r.unit(a["unit"])["key_version"]:
            fail("is sealed to an old key")
        p = r.pending(a["id"])
        if p is not None and p["version"] == f["version"]:
            row = p
        elif 1 <= f["version"] <= a["version"]:
            row = r.t["secret_versions"][(a["id"], f["version"])]
        else:
            fail("reseals a version that does not exist")
        row.update(key_version=f["key_version"], sealed=f["sealed"], sealed_seq=e.seq)

    def secret_read(self):
        """A read (`secret.read`): decided as `read_secret`, whose term rule is its own (outside every
        term by break-glass where `break_glass.reveals` says so, else an admin only), with the
        holder rule of a check-out; flagged exactly when one of the two broke the glass."""
        e, r = self.e, self.r
        f = take_fields(e, [("reason", TEXT), ("version", INT), ("what", TEXT)], [("break_glass", INT)])
        if f.get("break_glass", 1) != 1:
            fail("has a 'break_glass' field other than 1")
        if all(c in " \t" for c in f["reason"]):
            fail("reads without a proper reason")
        glass = "break_glass" in f
        a = self.account()
        held = r.open_checkout(a["id"])
        if held is not None and held["until_us"] <= e.t:
            held = None
        by_glass = []

        def own(actor, policy):
            term_glass = False
            if r.term_state(a["unit"], e.t, policy) not in ("active", "grace"):
                if policy["break_glass_reveals"]:
                    # As a check-out's break-glass, and never under dual control: a read names no request.
                    if not glass or not self.glass_may_break(actor, policy, f["reason"]) or "break_glass" in policy["dual_actions"]:
                        return False
                    term_glass = True
                elif actor["role"] != "admin":
                    return False
            holder_ok, holder_glass = self.holder_rule(held, actor, policy, glass, f["reason"], checkout=False)
            by_glass.append(term_glass or holder_glass)
            return holder_ok

        self.decide("read_secret", a["unit"], own, term_by_own=True)
        if glass != by_glass[0]:
            fail("does not record the break-glass flag its decision gave")
        p = r.pending(a["id"])
        if f["what"] not in ("password", "totp"):
            fail("reads an unknown part")
        if not (1 <= f["version"] <= a["version"] or (p is not None and p["version"] == f["version"])):
            fail("reads a version that does not exist")

    def glass_may_break(self, actor, policy, reason):
        """Break-glass: the policy allows it, the actor's role may, and the log says why."""
        return policy["break_glass_allowed"] and actor["role"] in policy["break_glass_roles"] and not blank(reason)

    def holder_rule(self, held, actor, policy, glass, reason, checkout):
        """The holder rule of `checkout` and `secret.read`: (allowed, allowed by break-glass). A
        check-out held by someone else is exclusive unless the policy shares check-outs, and the
        glass may be broken past it; the holder never checks out again what they hold."""
        if held is None or not policy["exclusive"]:
            return True, False
        if held["holder"] == self.e.actor:
            return not checkout, False
        if not glass:
            return False, False
        return self.glass_may_break(actor, policy, reason), True

    def rotation_start_allowed(self, a, actor, policy, f):
        """A rotation's start ("secret.pending"): where the role is granted it only inside a term
        (a custodian), outside every term only by break-glass, as a check-out: flagged exactly
        then, the role among those that may break the glass, a reason; never under dual control
        (a rotation names no request)."""
        glass = "break_glass" in f
        in_term_only = MATRIX["rotate"][ROLES.index(actor["role"])] == "own units in term"
        outside = in_term_only and self.r.term_state(a["unit"], self.e.t, policy) not in ("active", "grace")
        if glass != outside:
            return False
        if outside and (not policy["break_glass_allowed"] or actor["role"] not in policy["break_glass_roles"]
                        or blank(f["reason"]) or "break_glass" in policy["dual_actions"]):
            return False
        return True

    def secret_pending(self):
        e, r = self.e, self.r
        f = take_fields(e, self.SECRET, [("break_glass", INT)])
        if f.get("break_glass", 1) != 1:
            fail("has a 'break_glass' field other than 1")
        a = self.account()
        actor = r.principal(e.actor)
        if actor is not None and actor["role"] == "enforcer":
            self.decide("enforce")
            if a["status"] != "deactivated" or "break_glass" in f:
                fail("is the enforcer's, for an account it did not deactivate")
        else:
            self.decide("rotate", a["unit"], lambda actor, policy: self.rotation_start_allowed(a, actor, policy, f), term_by_own=True)
        self.sealed_secret(f["sealed"])
        if (a["status"] == "archived" or r.pending(a["id"]) or f["version"] != a["version"] + 1
                or f["key_version"] != r.unit(a["unit"])["key_version"] or f["totp"] not in (0, 1)):
            fail("is not the next pending version")
        r.insert("pending_secrets", account=a["id"], version=f["version"], key_version=f["key_version"],
                 sealed=f["sealed"], has_totp=f["totp"], reason=f["reason"], set_by=e.actor, set_seq=e.seq,
                 sealed_seq=e.seq, break_glass=f.get("break_glass", 0))

    def rotation_finish_allowed(self, a, actor, policy, f):
        """A rotation's confirmation or abort: where the role is granted it only inside a term (a
        custodian), outside every term only by the one who started that rotation by break-glass,
        and then flagged; "break_glass" is present exactly then, and only as 1."""
        glass = f.get("break_glass")
        if glass not in (None, 1):
            fail("has a 'break_glass' field other than 1")
        in_term_only = MATRIX["rotate"][ROLES.index(actor["role"])] == "own units in term"
        outside = in_term_only and self.r.term_state(a["unit"], self.e.t, policy) not in ("active", "grace")
        p = self.r.pending(a["id"])
        starter = p is not None and p["break_glass"] == 1 and p["set_by"] == self.e.actor
        if outside and not starter:
            return False
        return (glass == 1) == outside

    def finish_rotation(self, extra):
        e = self.e
        f = take_fields(e, [("version", INT)] + extra, [("break_glass", INT)])
        a = self.account()
        self.decide("rotate", a["unit"], lambda actor, policy: self.rotation_finish_allowed(a, actor, policy, f), term_by_own=True)
        return f, a

    def secret_confirm(self):
        e, r = self.e, self.r
        completed = [("key_version", INT), ("sealed", BYTES), ("totp", INT)]
        f, a = self.finish_rotation([] if set(e.fields) - {"break_glass"} == {"version"} else completed)
        p = r.pending(a["id"])
        current = r.unit(a["unit"])["key_version"]
        if p is None or p["version"] != f["version"] or p["key_version"] != current:
            fail("confirms a rotation that is not pending, or sealed to an old key")
        if "sealed" in f:
            self.sealed_secret(f["sealed"])
            if f["totp"] not in (0, 1) or f["key_version"] != current:
                fail("completes the version wrongly")
        row = dict(account=a["id"], version=p["version"], key_version=p["key_version"], sealed=p["sealed"],
                   has_totp=p["has_totp"], reason=p["reason"], set_by=p["set_by"], set_seq=e.seq,
                   sealed_seq=p["sealed_seq"], set_us=e.t)
        if "sealed" in f:
            row.update(sealed=f["sealed"], has_totp=f["totp"], sealed_seq=e.seq)
        r.insert("secret_versions", **row)
        del r.t["pending_secrets"][(a["id"],)]
        a.update(version=f["version"], rotation_due=0, updated_seq=e.seq, updated_by=e.actor)

    def secret_abort(self):
        f, a = self.finish_rotation([])
        p = self.r.pending(a["id"])
        if p is None or p["version"] != f["version"]:
            fail("aborts a rotation that is not pending")
        del self.r.t["pending_secrets"][(a["id"],)]

    def checkout_allowed(self, a, actor, policy, held, f, duration_us, request):
        """The check-out's own rules ("checkout"), dual control included: whether it is allowed,
        and whether it is refused only for want of an approved request."""
        r, e = self.r, self.e
        outside = r.term_state(a["unit"], e.t, policy) not in ("active", "grace")
        if outside and (f["break_glass"] == 0 or not self.glass_may_break(actor, policy, f["reason"])):
            return False, False
        if not self.holder_rule(held, actor, policy, f["break_glass"] == 1, f["reason"], checkout=True)[0]:
            return False, False
        if blank(f["reason"]) and policy["reason_required"]:
            return False, False
        if not 0 < duration_us <= policy["max_duration"]:
            return False, False
        if forbidden(policy, self.e.actor, actor["role"], "checkout", a["unit"]):
            return False, False
        if not outside or "break_glass" not in policy["dual_actions"]:
            if request is not None:
                fail("names a request its decision did not use")
            return True, False
        # "Dual control": an approved request by the same person, for exactly this, unused and unexpired.
        if request is None:
            return False, True
        return self.approved(request, "break_glass", e.target, f["reason"], duration_us, policy), False

    def checkout(self):
        e, r = self.e, self.r
        f = take_fields(e, [("break_glass", INT), ("reason", TEXT), ("until_us", INT), ("version", INT)],
                        [("request", INT)])
        a = self.account()
        if f["break_glass"] not in (0, 1) or a["status"] == "archived" or f["version"] < 1 or f["version"] != a["version"]:
            fail("checks out wrongly")
        policy = r.policy()
        held = r.open_checkout(a["id"])
        if held is not None and held["until_us"] <= e.t:
            self.end_checkout(held, "expired", policy)
            held = None
        duration_us = f["until_us"] - e.t
        if not -2 ** 63 <= duration_us < 2 ** 63:
            fail("has an end out of range")

        request = f.get("request")
        if request is not None and request <= 0:
            fail("names a request that cannot exist")

        def own(actor, policy):
            return self.checkout_allowed(a, actor, policy, held, f, duration_us, request)[0]

        actor, policy = self.decide("checkout", a["unit"], own)
        if a["status"] == "deactivated" and f["break_glass"] == 0:
            fail("checks out a deactivated account without break-glass")
        # `break_glass` is 1 exactly when the term rule or the holder rule allowed it by break-glass.
        outside = r.term_state(a["unit"], e.t, policy) not in ("active", "grace")
        by_glass = outside or self.holder_rule(held, actor, policy, True, f["reason"], checkout=True)[1]
        if f["break_glass"] != int(by_glass):
            fail("does not record the break-glass flag its decision gave")
        if request is not None:
            r.t["approvals"][(request,)].update(state="used", ended_seq=e.seq)
        if held is not None:
            self.end_checkout(held, "returned", policy)
        r.insert("checkouts", seq=e.seq, account=a["id"], holder=e.actor, reason=f["reason"], version=f["version"],
                 start_us=e.t, until_us=f["until_us"], break_glass=f["break_glass"], ended_seq=None, ended_how=None)

    # --- "Dual control" ---
    def approved(self, request, action, target, reason, duration_us, policy):
        """"Dual control": the request `request` is an approved one by this actor for exactly this, unused and unexpired."""
        e, r = self.e, self.r
        q = r.t["approvals"].get((request,))
        if q is None:
            fail("names a request that does not exist")
        granted = len(r.rows("approval_votes", approval=request, verdict="grant"))
        return (q["action"] == action and q["target"] == target and q["reason"] == reason
                and q["duration_us"] == duration_us and q["requester"] == e.actor and q["state"] == "pending"
                and e.t < q["expires_us"] and granted >= policy["approvals_needed"])

    def approval_request(self):
        e, r = self.e, self.r
        if e.fields.get("for") == (TEXT, "policy_set"):
            return self.approval_request_policy_set()
        if e.fields.get("for") in ((TEXT, "rekey"), (TEXT, "recovery_split")):
            return self.approval_request_step(e.fields["for"][1])
        f = take_fields(e, [("duration_us", INT), ("for", TEXT), ("reason", TEXT)])
        if f["for"] != "break_glass":
            fail("asks for an action that dual control does not know")
        a = self.account()
        if a["status"] == "archived" or a["version"] == 0 or len(f["reason"].encode()) > 500 or not printable(f["reason"]):
            fail("asks to check out an account that cannot be checked out")
        held = r.open_checkout(a["id"])
        if held is not None and held["until_us"] <= e.t:
            held = None
        asked = dict(break_glass=1, reason=f["reason"])
        outcome = {}

        def own(actor, policy):
            outcome["v"] = self.checkout_allowed(a, actor, policy, held, asked, f["duration_us"], None)
            return outcome["v"][1]  # refused only for want of an approval

        _, policy = self.decide("checkout", a["unit"], own)
        r.insert("approvals", id=e.seq, action="break_glass", target=e.target, reason=f["reason"],
                 duration_us=f["duration_us"], requester=e.actor, expires_us=e.t + policy["approval_window"],
                 state="pending", ended_seq=None)

    def approval_request_policy_set(self):
        """A request to set the policy document whose BLAKE2b-256 the target names."""
        e, r = self.e, self.r
        f = take_fields(e, [("for", TEXT), ("reason", TEXT)])
        if not POLICY_DOCUMENT_TARGET.fullmatch(e.target):
            fail("does not name a policy document by its hash")
        if blank(f["reason"]) or len(f["reason"].encode()) > 500 or not printable(f["reason"]):
            fail("has a reason that is not one")

        def own(actor, policy):
            return "policy_set" in policy["dual_actions"]  # refused only for want of an approval

        _, policy = self.decide("set_policy", None, own)
        r.insert("approvals", id=e.seq, action="policy_set", target=e.target, reason=f["reason"],
                 duration_us=0, requester=e.actor, expires_us=e.t + policy["approval_window"],
                 state="pending", ended_seq=None)

    def approval_request_step(self, step):
        """A request to disable the person the target names with a re-key, or for a split of the
        shape the target names; decided as that step would be ("Dual control")."""
        e, r = self.e, self.r
        f = take_fields(e, [("for", TEXT), ("reason", TEXT)])
        if blank(f["reason"]) or len(f["reason"].encode()) > 500 or not printable(f["reason"]):
            fail("has a reason that is not one")
        if step == "rekey":
            if not PRINCIPAL_NAME.fullmatch(e.target):
                fail("does not name a person")
            p = r.principal(e.target)
            if p is None or p["status"] == "disabled" or e.target == e.actor:
                fail("asks to disable someone who may not be disabled")
        else:
            m = RECOVERY_SPLIT_TARGET.fullmatch(e.target)
            if m is None or not 2 <= int(m.group(1)) <= int(m.group(2)) <= 16:
                fail("does not name a split's threshold and shares")
            p = r.principal("recovery")
            if p is not None and p["role"] != "recovery":
                fail("asks for a split that may not be made")

        def own(actor, policy):
            return step in policy["dual_actions"]  # refused only for want of an approval

        _, policy = self.decide("manage_people", None, own)
        r.insert("approvals", id=e.seq, action=step, target=e.target, reason=f["reason"],
                 duration_us=0, requester=e.actor, expires_us=e.t + policy["approval_window"],
                 state="pending", ended_seq=None)

    def step_under_dual_control(self, step, target, f):
        """"Dual control" over a re-key or a split: the request the event names, if any, must be one
        the decision uses (an approved one by this actor for exactly this); it is then used up."""
        e, r = self.e, self.r
        request = f.get("request")
        if request is not None and request <= 0:
            fail("names a request that cannot exist")
        if "reason" in f and (blank(f["reason"]) or len(f["reason"].encode()) > 500 or not printable(f["reason"])):
            fail("has a reason that is not one")

        def own(actor, policy):
            if step not in policy["dual_actions"]:
                if request is not None:
                    fail("names a request its decision did not use")
                return True
            if request is None:
                return False
            return self.approved(request, step, target, f.get("reason", ""), 0, policy)

        self.decide("manage_people", None, own)
        if request is not None:
            r.t["approvals"][(request,)].update(state="used", ended_seq=e.seq)

    def approval_vote(self, verdict):
        e, r = self.e, self.r
        f = take_fields(e, [("reason", TEXT)])
        i = numbered(e.target, "approval/")
        if i is None:
            fail("does not name a request")
        if blank(f["reason"]) or len(f["reason"].encode()) > 500 or not printable(f["reason"]):
            fail("has a reason that is not one")
        q = r.t["approvals"].get((i,))
        if q is None:
            fail("names a request that does not exist")

        def own(actor, policy):
            voted = r.one("approval_votes", approval=i, approver=e.actor, verdict="grant")
            return (actor["role"] in policy["approvers"] and e.actor != q["requester"] and q["state"] == "pending"
                    and e.t < q["expires_us"] and voted is None)

        self.decide("approve", None, own)
        r.insert("approval_votes", approval=i, approver=e.actor, verdict=verdict, reason=f["reason"], seq=e.seq)
        if verdict == "reject":
            q.update(state="rejected", ended_seq=e.seq)

    def approval_grant(self):
        self.approval_vote("grant")

    def approval_reject(self):
        self.approval_vote("reject")

    def checkin(self):
        e, r = self.e, self.r
        take_fields(e, [])
        a = self.account()
        held = r.open_checkout(a["id"])
        if held is None:
            fail("returns what is not checked out")
        actor, policy = self.decide("checkin", a["unit"],
                                    lambda actor, policy: held["holder"] == e.actor or actor["role"] == "admin")
        self.end_checkout(held, "returned", policy)

    def checkout_expire(self):
        e, r = self.e, self.r
        take_fields(e, [])
        _, policy = self.decide("enforce")
        a = self.account()
        held = r.open_checkout(a["id"])
        if held is None or (held["until_us"] > e.t and a["status"] != "deactivated"):
            fail("expires what may not expire")
        self.end_checkout(held, "expired", policy)

    def fresh_passwords(self):
        """"unit.deactivate": its `fresh.<id>` fields (at most 252), each bytes of u64 version ‖ u64
        key_version ‖ raw(sealed), 16 + 49 to 16 + 16,432 bytes; returns {id: (version, key_version,
        sealed)} and the event's other fields, which take_fields then checks as it does any list."""
        fresh, others = {}, {}
        for key, value in self.e.fields.items():
            (fresh if key.startswith("fresh.") else others)[key] = value
        if len(fresh) > 252:
            fail("has more fresh passwords than a body may carry")
        passwords = {}
        for key, (typ, value) in fresh.items():
            i = numbered(key, "fresh.")
            if i is None:
                fail(f"has an unexpected field '{key}'")
            if typ != BYTES or not 16 + 49 <= len(value) <= 16 + 16432:
                fail(f"has a malformed '{key}'")
            version, key_version = struct.unpack(">QQ", value[:16])
            passwords[i] = (version, key_version, value[16:])
        return passwords, others

    def unit_deactivate(self):
        e, r = self.e, self.r
        passwords, others = self.fresh_passwords()
        f = take_fields(Event(e.seq, e.t, e.actor, e.action, e.target, others),
                        [("accounts", INT), ("custodians", TEXT), ("term", TEXT)], [("key_version", INT)])
        _, policy = self.decide("enforce")
        self.existing_unit(e.target)
        if r.term_state(e.target, e.t, policy) != "ended":
            fail("ends a unit whose term has not ended")
        active = sorted(a["id"] for a in r.rows("accounts", unit=e.target, status="active"))
        granted = sorted((g["principal"] for g in r.rows("grants", unit=e.target, revoked_seq=None)), key=str.encode)
        if f["accounts"] != len(active) or f["custodians"] != ", ".join(granted) or (not active and not granted):
            fail("does not count the unit's accounts and custodians")
        standby = r.standby(e.target)
        switches = bool(granted) and standby is not None
        if switches != ("key_version" in f) or (switches and f["key_version"] != standby):
            fail("switches keys wrongly")
        # Each fresh password: for an account the event deactivates (active before it, of the unit)
        # that has no pending version; its next version, sealed to the unit's key once step 5 is
        # done (the standby it switches to, else the current one).
        sealed_to = standby if switches else r.unit(e.target)["key_version"]
        for i, (version, key_version, _) in passwords.items():
            if i not in active:
                fail(f"has a fresh password for account {i}, which it does not deactivate")
            if r.pending(i) is not None:
                fail(f"has a fresh password for account {i}, which has a pending version")
            if version != r.t["accounts"][(i,)]["version"] + 1 or key_version != sealed_to:
                fail(f"has a fresh password for account {i} that is not its next pending version")
        # One checklist per account, its steps the list of the policy in force (its set_seq, 0 for
        # the built-in policy), written by the first checklist opened under it.
        policy_row = r.t["policy"].get((1,))
        steps_list = policy_row["set_seq"] if policy_row else 0
        if active and policy["steps"] and not r.rows("checklist_step_lists", list=steps_list):
            for position, (step, text, waits) in enumerate(policy["steps"], 1):
                r.insert("checklist_step_lists", list=steps_list, position=position, step=step, text=text,
                         waits=1 if waits else 0)
        for i in active:
            if policy["steps"]:
                r.insert("checklists", account=i, opened_seq=e.seq, list=steps_list, steps_left=len(policy["steps"]),
                         closed_seq=None)
            r.t["accounts"][(i,)].update(status="deactivated", updated_seq=e.seq, updated_by=e.actor)
        for k in list(r.t["unit_keys"]):
            if k[0] == e.target and k[1] in granted:
                del r.t["unit_keys"][k]
        for g in r.rows("grants", unit=e.target, revoked_seq=None):
            g["revoked_seq"] = e.seq
        if switches:
            self.switch(e.target, standby)
        for i, (version, key_version, sealed) in sorted(passwords.items()):
            r.insert("pending_secrets", account=i, version=version, key_version=key_version, sealed=sealed,
                     has_totp=0, reason="end of term '" + f["term"] + "'", set_by=e.actor, set_seq=e.seq,
                     sealed_seq=e.seq, break_glass=0)

    def unit_reactivate(self):
        e, r = self.e, self.r
        f = take_fields(e, [("accounts", INT), ("term", TEXT), ("unfinished_checklists", INT)])
        _, policy = self.decide("enforce")
        self.existing_unit(e.target)
        if r.term_state(e.target, e.t, policy) not in ("active", "grace"):
            fail("reactivates a unit outside its term")
        ids = [a["id"] for a in r.rows("accounts", unit=e.target, status="deactivated")]
        unfinished = sum(1 for i in ids if any(c["steps_left"] > 0 for c in r.rows("checklists", account=i, closed_seq=None)))
        if f["accounts"] < 1 or f["accounts"] != len(ids) or f["unfinished_checklists"] != unfinished:
            fail("does not count the unit's deactivated accounts")
        for i in ids:
            for c in r.rows("checklists", account=i, closed_seq=None):
                c["closed_seq"] = e.seq
            r.t["accounts"][(i,)].update(status="active", updated_seq=e.seq, updated_by=e.actor)

    def account_flag(self):
        e, r = self.e, self.r
        take_fields(e, [("reason", TEXT)])
        _, policy = self.decide("enforce")
        a = self.account()
        if a["status"] != "active" or a["version"] < 1 or a["rotation_due"] != 0:
            fail("flags an account that may not be flagged")
        if e.t - r.t["secret_versions"][(a["id"], a["version"])]["set_us"] <= policy["max_password_age"]:
            fail("flags a password younger than the maximum age")
        self.flag(a)

    def checklist_tick(self):
        e, r = self.e, self.r
        f = take_fields(e, [("note", TEXT), ("step", TEXT)], [("version", INT)])
        a = self.account()
        _, policy = self.decide("tick_checklist", a["unit"])
        if len(f["note"].encode()) > 500:
            fail("has a malformed note")
        # The first step named `step` among the account's open checklists (oldest first), with its
        # row in checklist_steps if it has one (ticked, or its waiting period started).
        found = None
        for c in sorted(r.rows("checklists", account=a["id"], closed_seq=None), key=lambda c: c["opened_seq"]):
            for listed in sorted(r.rows("checklist_step_lists", list=c["list"]), key=lambda l: l["position"]):
                if listed["step"] == f["step"]:
                    found = (c, listed)
                    break
            if found:
                break
        if found is None:
            fail("ticks a step that is not open")
        c, listed = found
        s = r.t["checklist_steps"].get((a["id"], c["opened_seq"], listed["position"]))
        if s is not None and s["done_seq"] is not None:
            fail("ticks a step that is not open")
        if listed["waits"] and (s is None or s["wait_until_us"] is None or s["wait_until_us"] > e.t):
            fail("ticks a waiting period before it has passed")
        if "version" in f:
            if f["step"] != "new-password":
                fail("has a version where none belongs")
            if r.pending(a["id"]) is not None:
                fail("ticks the new password while it is still pending")
            if f["version"] != a["version"]:
                fail("names a version that is not the account's current password")
        if s is None:
            r.insert("checklist_steps", account=a["id"], opened_seq=c["opened_seq"], position=listed["position"],
                     wait_until_us=None, done_seq=e.seq, done_by=e.actor, note=f["note"])
        else:
            s.update(done_seq=e.seq, done_by=e.actor, note=f["note"])
        c["steps_left"] -= 1
        following = r.t["checklist_step_lists"].get((c["list"], listed["position"] + 1))
        if following is not None and following["waits"]:
            r.insert("checklist_steps", account=a["id"], opened_seq=c["opened_seq"], position=listed["position"] + 1,
                     wait_until_us=e.t + policy["waiting_period"], done_seq=None, done_by=None, note=None)

    def covered_end(self, term, code):
        row = self.r.t["term_units"].get((term["name"], code))
        if row is not None:
            return row["end_us"] if row["end_us"] is not None else term["end_us"]
        if term["all_units"] == 1:
            return term["end_us"]
        fail(f"names {code}, which the term does not cover")

    def term_add(self):
        e, r = self.e, self.r
        f = take_fields(e, [("end_us", INT), ("start_us", INT), ("units", TEXT)])
        self.decide("manage_terms")
        units = self.unit_list(f["units"])
        if not term_name_ok(e.target) or f["end_us"] <= f["start_us"] or f["end_us"] <= e.t or (e.target,) in r.t["terms"]:
            fail("is not a valid new term")
        r.insert("terms", name=e.target, start_us=f["start_us"], end_us=f["end_us"], all_units=0 if units else 1,
                 created_seq=e.seq, updated_seq=e.seq)
        for code in units:
            r.insert("term_units", term=e.target, unit=code, end_us=None, updated_seq=e.seq)

    def existing_term(self):
        term = self.r.t["terms"].get((self.e.target,))
        if term is None:
            fail("names a term that does not exist")
        return term

    def term_extend(self):
        e, r = self.e, self.r
        f = take_fields(e, [("end_us", INT), ("units", TEXT)])
        self.decide("manage_terms")
        term = self.existing_term()
        units = self.unit_list(f["units"])
        if f["end_us"] <= e.t:
            fail("extends to a moment already past")
        if not units:
            if f["end_us"] <= term["end_us"]:
                fail("does not move the end later")
            term.update(end_us=f["end_us"], updated_seq=e.seq)
            return
        for code in units:
            if f["end_us"] <= self.covered_end(term, code):
                fail("does not move a unit's end later")
            r.t["term_units"][(e.target, code)] = dict(term=e.target, unit=code, end_us=f["end_us"], updated_seq=e.seq)

    def term_end(self):
        e, r = self.e, self.r
        f = take_fields(e, [("units", TEXT)])
        self.decide("manage_terms")
        term = self.existing_term()
        units = self.unit_list(f["units"])
        now = max(e.t, term["start_us"])
        if not units:
            if term["end_us"] <= now:
                fail("ends a term that has ended")
            term.update(end_us=now, updated_seq=e.seq)
            for row in r.rows("term_units", term=e.target):
                if row["end_us"] is not None and row["end_us"] > now:
                    row.update(end_us=now, updated_seq=e.seq)
            return
        for code in units:
            if self.covered_end(term, code) <= now:
                fail("ends a unit's term that has ended")
            r.t["term_units"][(e.target, code)] = dict(term=e.target, unit=code, end_us=now, updated_seq=e.seq)

    def policy_set(self):
        e, r = self.e, self.r
        f = take_fields(e, [("document", BYTES)], [("reason", TEXT), ("request", INT)])
        if "reason" in f and (blank(f["reason"]) or len(f["reason"].encode()) > 500 or not printable(f["reason"])):
            fail("has a reason that is not one")
        request = f.get("request")
        if request is not None and request <= 0:
            fail("names a request that cannot exist")
        target = "policy/" + hashlib.blake2b(f["document"], digest_size=32).hexdigest()

        def own(actor, policy):
            # "Dual control", decided under the policy in force before this event.
            if "policy_set" not in policy["dual_actions"]:
                if request is not None:
                    fail("names a request its decision did not use")
                return True
            if request is None:
                return False
            return self.approved(request, "policy_set", target, f.get("reason", ""), 0, policy)

        self.decide("set_policy", None, own)
        if e.target != "policy" or len(f["document"]) > 65536 or parse_policy(f["document"]) is None:
            fail("sets an invalid policy")
        if request is not None:
            r.t["approvals"][(request,)].update(state="used", ended_seq=e.seq)
        r.t["policy"][(1,)] = dict(singleton=1, document=f["document"].decode("utf-8"), set_seq=e.seq)

    def user_add(self):
        e, r = self.e, self.r
        f = take_fields(e, [("box_key", B32), ("role", TEXT), ("signing_key", B32)], [("expires_us", INT), SLOT_HASH] + RECORD)
        self.decide("manage_people")
        if f["role"] not in ("admin", "custodian", "auditor", "enforcer") or ("expires_us" in f) == (f["role"] == "enforcer"):
            fail("adds a user with a malformed role")
        if not NAME.match(e.target) or r.principal(e.target):
            fail("is not a new user")
        r.insert("principals", name=e.target, role=f["role"], status="active" if f["role"] == "enforcer" else "pending",
                 signing_key=f["signing_key"], box_key=f["box_key"], created_seq=e.seq, updated_seq=e.seq)
        r.insert("signing_keys", principal=e.target, public_key=f["signing_key"], introduced_seq=e.seq, retired_seq=None)
        self.write_record(f)

    def write_record(self, f):
        """A person's record: each field given must be valid ("user.edit"); the row keeps the others."""
        e, r = self.e, self.r
        given = {k: f[k] for k in ("full_name", "nip", "position") if k in f}
        if not given:
            return
        for k in ("full_name", "position"):
            if k in given:
                v = given[k]
                if not (1 <= len(v.encode()) <= 100 and printable(v) and v[0] != " " and v[-1] != " "):
                    fail(f"has a malformed {k}")
        if "nip" in given and not nip_ok(given["nip"]):
            fail("is not a NIP")
        row = r.t["principal_records"].get((e.target,))
        if row is None:
            row = dict(principal=e.target, full_name="", nip="", position="", updated_seq=e.seq)
            r.t["principal_records"][(e.target,)] = row
        row.update(given)
        row["updated_seq"] = e.seq

    def user_edit(self):
        e, r = self.e, self.r
        f = take_fields(e, [], RECORD)
        self.decide("manage_people")
        if not f or e.target == "recovery" or r.principal(e.target) is None:
            fail("edits no field, or nobody who may be edited")
        self.write_record(f)

    def user_enroll(self):
        e, r = self.e, self.r
        f = take_fields(e, [("box_key", B32), ("signing_key", B32)], [SLOT_HASH])
        p = r.principal(e.actor)
        if p is None or p["status"] != "pending" or e.target != e.actor:
            fail("enrolls someone who is not pending, or someone else")
        p.update(status="active", signing_key=f["signing_key"], box_key=f["box_key"], updated_seq=e.seq)
        self.retire(e.actor)
        r.insert("signing_keys", principal=e.actor, public_key=f["signing_key"], introduced_seq=e.seq, retired_seq=None)

    def grant_subject(self):
        f = take_fields(self.e, [("unit", TEXT)])
        self.decide("manage_people")
        self.existing_unit(f["unit"])
        p = self.r.principal(self.e.target)
        if p is None or p["status"] == "disabled" or p["role"] != "custodian":
            fail("names someone who is not an enabled custodian")
        return f["unit"]

    def user_grant(self):
        unit = self.grant_subject()
        if self.r.live_grant(self.e.target, unit):
            fail("grants a unit a second time")
        self.r.insert("grants", principal=self.e.target, unit=unit, granted_seq=self.e.seq, revoked_seq=None)

    def user_revoke(self):
        e, r = self.e, self.r
        unit = self.grant_subject()
        g = r.live_grant(e.target, unit)
        if g is None:
            fail("revokes a unit that was not granted")
        g["revoked_seq"] = e.seq
        for k in list(r.t["unit_keys"]):
            if k[0] == unit and k[1] == e.target:
                del r.t["unit_keys"][k]

    def user_disable(self):
        e, r = self.e, self.r
        f = take_fields(e, [], [("reason", TEXT), ("request", INT), ("store_generation", INT), ("store_key_check", B32)])
        self.decide("manage_people")
        p = r.principal(e.target)
        if p is None or p["status"] == "disabled" or e.target == e.actor:
            fail("disables someone who may not be disabled")
        if ("store_generation" in f) != ("store_key_check" in f):
            fail("announces a re-key by halves")
        if "request" in f and "store_generation" not in f:
            fail("names a request without a re-key to use it for")
        if "store_generation" in f:
            self.step_under_dual_control("rekey", e.target, f)
        if "store_generation" in f:
            vault = r.t["vault"][(1,)]
            if f["store_generation"] != vault["store_generation"] + 1:
                fail("announces a store key generation out of order")
            vault.update(store_generation=f["store_generation"], store_key_check=f["store_key_check"])
        p.update(status="disabled", updated_seq=e.seq)
        self.retire(e.target)
        for g in r.rows("grants", principal=e.target, revoked_seq=None):
            g["revoked_seq"] = e.seq
        for k in list(r.t["unit_keys"]):
            if k[1] == e.target:
                del r.t["unit_keys"][k]

    def user_passwd(self):
        take_fields(self.e, [], [SLOT_HASH])
        p = self.r.principal(self.e.actor)
        if p is None or p["status"] != "active" or self.e.target != self.e.actor or p["role"] == "enforcer":
            fail("changes a passphrase it may not")

    def backup_create(self):
        take_fields(self.e, [])
        self.decide("create_backup")
        if self.e.target != "":
            fail("has a target")

    def import_(self):
        f = take_fields(self.e, [("accounts", INT), ("file_bytes", INT), ("file_hash", B32), ("format", TEXT),
                                 ("units", INT)])
        self.decide("manage_accounts")
        if f["accounts"] < 1 or f["file_bytes"] < 0 or f["units"] < 0 or f["format"] not in ("csv", "keepassxc"):
            fail("is a malformed import")

    def replace_keys(self, p, status, f):
        p.update(status=status, signing_key=f["signing_key"], box_key=f["box_key"], updated_seq=self.e.seq)
        self.retire(p["name"])
        for k in list(self.r.t["unit_keys"]):
            if k[1] == p["name"]:
                del self.r.t["unit_keys"][k]
        self.r.insert("signing_keys", principal=p["name"], public_key=f["signing_key"], introduced_seq=self.e.seq,
                      retired_seq=None)

    def recovery_split(self):
        e, r = self.e, self.r
        f = take_fields(e, [("box_key", B32), ("shares", INT), ("signing_key", B32), ("split_id", ("bytes", 8)),
                            ("threshold", INT)], [SLOT_HASH, ("reason", TEXT), ("request", INT)])
        self.decide("manage_people")
        if e.target != "recovery" or not 2 <= f["threshold"] <= f["shares"] <= 16:
            fail("is a malformed split")
        self.step_under_dual_control("recovery_split", f"recovery/{f['threshold']}-of-{f['shares']}", f)
        p = r.principal("recovery")
        if p is not None:
            if p["role"] != "recovery":
                fail("gives the recovery principal's name to someone else")
            self.replace_keys(p, "active", f)
            return
        r.insert("principals", name="recovery", role="recovery", status="active", signing_key=f["signing_key"],
                 box_key=f["box_key"], created_seq=e.seq, updated_seq=e.seq)
        r.insert("signing_keys", principal="recovery", public_key=f["signing_key"], introduced_seq=e.seq, retired_seq=None)

    RECOVERED = [("box_key", B32), ("expires_us", INT), ("signing_key", B32)]

    def recovery_reset(self):
        f = take_fields(self.e, self.RECOVERED, [SLOT_HASH])
        self.decide("recover")
        p = self.r.principal(self.e.target)
        if p is None or p["role"] != "admin" or p["status"] == "disabled":
            fail("resets someone who is not an enabled admin")
        self.replace_keys(p, "pending", f)

    def recovery_enroll(self):
        e, r = self.e, self.r
        f = take_fields(e, self.RECOVERED, [SLOT_HASH])
        self.decide("recover")
        if not NAME.match(e.target) or e.target == "recovery" or r.principal(e.target):
            fail("enrolls a name that is not new")
        r.insert("principals", name=e.target, role="admin", status="pending", signing_key=f["signing_key"],
                 box_key=f["box_key"], created_seq=e.seq, updated_seq=e.seq)
        r.insert("signing_keys", principal=e.target, public_key=f["signing_key"], introduced_seq=e.seq, retired_seq=None)

    # --- "Handovers" ---
    def current_list(self, unit):
        out = []
        for a in sorted(self.r.rows("accounts", unit=unit), key=lambda a: a["id"]):
            if a["status"] != "archived" and a["version"] >= 1:
                sealed = self.r.t["secret_versions"][(a["id"], a["version"])]["sealed"]
                fp = hashlib.blake2b(b"brankas handover fingerprint v1" + struct.pack(">qq", a["id"], a["version"])
                                     + struct.pack(">I", len(sealed)) + sealed, digest_size=32).digest()
                out.append((a["id"], a["version"], fp))
        return out

    @staticmethod
    def decode_list(data):
        if len(data) < 4:
            return None
        n = struct.unpack(">I", data[:4])[0]
        if n > 10000 or len(data) - 4 != n * 48:
            return None
        out = []
        for i in range(n):
            account, version = struct.unpack(">qq", data[4 + 48 * i:20 + 48 * i])
            if account < 1 or version < 1 or (out and out[-1][0] >= account):
                return None
            out.append((account, version, data[20 + 48 * i:52 + 48 * i]))
        return out

    def handover_start(self):
        e, r = self.e, self.r
        f = take_fields(e, [("accounts", BYTES), ("note", TEXT), ("outgoing", TEXT), ("receiver", TEXT), ("unit", TEXT)],
                        [("witness", TEXT), ("release", INT)])
        self.decide("start_handover")
        if f.get("release", 1) != 1:
            fail("has a 'release' field that is not 1")
        i = numbered(e.target, "handover/")
        if i != max((k[0] for k in r.t["handovers"]), default=0) + 1:
            fail("does not name the next handover")
        unit = f["unit"]
        self.existing_unit(unit)
        if not 1 <= len(f["note"].encode()) <= 500:
            fail("has a malformed note")
        outgoing = f["outgoing"].split(",") if f["outgoing"] else []
        if any(not NAME.match(n) for n in outgoing) or any(a.encode() >= b.encode() for a, b in zip(outgoing, outgoing[1:])):
            fail("has a malformed outgoing list")
        if any(h["unit"] == unit and h["state"] in ("started", "accepted", "witnessed") for h in r.t["handovers"].values()):
            fail("starts a second open handover")
        to = r.principal(f["receiver"])
        if to is None or to["role"] != "custodian" or to["status"] == "disabled" or r.live_grant(f["receiver"], unit):
            fail("hands over to someone who may not receive")
        if any(r.live_grant(n, unit) is None for n in outgoing):
            fail("names an outgoing custodian who does not hold the unit")
        if "witness" in f:
            w = r.principal(f["witness"])
            if w is None or w["role"] not in ("admin", "auditor") or w["status"] == "disabled" or f["witness"] == e.actor:
                fail("names a witness who may not witness")
        listed = self.decode_list(f["accounts"])
        if listed is None or listed != self.current_list(unit):
            fail("does not list the unit's accounts at their current versions")
        r.insert("handovers", id=i, unit=unit, started_by=e.actor, receiver=f["receiver"], witness=f.get("witness"),
                 witnessed_by=None, note=f["note"], accounts_digest=hashlib.blake2b(f["accounts"], digest_size=32).digest(),
                 state="started", started_seq=e.seq, accepted_seq=None, witnessed_seq=None, ended_seq=None,
                 release_asked=1 if "release" in f else 0)
        for n in outgoing:
            r.insert("handover_outgoing", handover=i, principal=n)
        for account, version, fp in listed:
            r.insert("handover_accounts", handover=i, account=account, version=version, fingerprint=fp)

    def handover_step(self, action, extra=()):
        e, r = self.e, self.r
        f = take_fields(e, [("accounts_digest", B32), ("unit", TEXT)] + list(extra))
        i = numbered(e.target, "handover/")
        h = r.t["handovers"].get((i,)) if i is not None else None
        if h is None:
            fail("names a handover that does not exist")
        if f["accounts_digest"] != h["accounts_digest"] or f["unit"] != h["unit"]:
            fail("does not carry the handover's digest and unit")
        listed = r.rows("handover_accounts", handover=i)
        accounts = r.t["accounts"]
        unrotated = sum(1 for l in listed if accounts[(l["account"],)]["status"] != "archived"
                        and accounts[(l["account"],)]["version"] == l["version"])
        listed_ids = {l["account"] for l in listed}
        unlisted = sum(1 for a in r.rows("accounts", unit=h["unit"])
                       if a["status"] != "archived" and a["version"] >= 1 and a["id"] not in listed_ids)
        outgoing = [o["principal"] for o in r.rows("handover_outgoing", handover=i)]
        released = [x["principal"] for x in r.rows("handover_releases", handover=i)]
        unreleased = [n for n in outgoing if n not in released] if h["release_asked"] == 1 else []

        def own(actor, policy):
            state = h["state"]
            if action == "accept_handover":
                return (state == "started" and e.actor == h["receiver"]
                        and not (policy["rotate_before_accept"] and unrotated > 0) and unlisted == 0)
            if action == "witness_handover":
                return (state == "accepted" and (h["witness"] is None or e.actor == h["witness"])
                        and e.actor not in [h["started_by"], h["receiver"]] + outgoing and unlisted == 0)
            if action == "complete_handover":
                needs = policy["witness_required"] or h["witness"] is not None
                return ((state == "witnessed" or (state == "accepted" and not needs)) and unlisted == 0
                        and not (policy["release_required"] and unreleased))
            if action == "release_handover":
                return (state in ("started", "accepted", "witnessed") and e.actor in outgoing and e.actor not in released
                        and unlisted == 0)
            return state not in ("completed", "cancelled")

        _, policy = self.decide(action, None, own)
        return h, f, policy

    def handover_accept(self):
        h, _, _ = self.handover_step("accept_handover")
        h.update(state="accepted", accepted_seq=self.e.seq)

    def handover_witness(self):
        h, _, _ = self.handover_step("witness_handover")
        h.update(state="witnessed", witnessed_seq=self.e.seq, witnessed_by=self.e.actor)

    def handover_release(self):
        h, _, _ = self.handover_step("release_handover")
        self.r.insert("handover_releases", handover=h["id"], principal=self.e.actor, seq=self.e.seq)

    def handover_cancel(self):
        h, f, _ = self.handover_step("cancel_handover", [("reason", TEXT)])
        if len(f["reason"].encode()) > 500:
            fail("has a malformed reason")
        h.update(state="cancelled", ended_seq=self.e.seq)

    def handover_complete(self):
        h, _, policy = self.handover_step("complete_handover")
        h.update(state="completed", ended_seq=self.e.seq)
        if not policy["rotate_before_accept"]:
            for l in self.r.rows("handover_accounts", handover=h["id"]):
                a = self.r.t["accounts"][(l["account"],)]
                if a["status"] != "archived":
                    self.flag(a)


ACTIONS = {
    "vault.create": Applier.vault_create, "audit.checkpoint": Applier.audit_checkpoint,
    "access.denied": Applier.access_denied, "unit.add": Applier.unit_add, "unit.key": Applier.unit_key,
    "unit.rotate": Applier.unit_rotate, "unit.standby": Applier.unit_standby, "account.add": Applier.account_add,
    "account.edit": Applier.account_edit, "account.archive": Applier.account_archive,
    "secret.set": Applier.secret_set, "secret.reseal": Applier.secret_reseal, "secret.read": Applier.secret_read,
    "secret.pending": Applier.secret_pending, "secret.confirm": Applier.secret_confirm,
    "secret.abort": Applier.secret_abort, "checkout": Applier.checkout, "checkin": Applier.checkin,
    "checkout.expire": Applier.checkout_expire, "unit.deactivate": Applier.unit_deactivate,
    "unit.reactivate": Applier.unit_reactivate, "account.flag": Applier.account_flag,
    "checklist.tick": Applier.checklist_tick, "term.add": Applier.term_add, "term.extend": Applier.term_extend,
    "term.end": Applier.term_end, "policy.set": Applier.policy_set, "user.add": Applier.user_add,
    "user.enroll": Applier.user_enroll, "user.grant": Applier.user_grant, "user.revoke": Applier.user_revoke,
    "user.disable": Applier.user_disable, "user.passwd": Applier.user_passwd, "backup.create": Applier.backup_create,
    "import": Applier.import_, "recovery.split": Applier.recovery_split, "recovery.reset": Applier.recovery_reset,
    "recovery.enroll": Applier.recovery_enroll, "handover.start": Applier.handover_start,
    "handover.accept": Applier.handover_accept, "handover.witness": Applier.handover_witness,
    "handover.cancel": Applier.handover_cancel, "handover.complete": Applier.handover_complete,
    "handover.release": Applier.handover_release, "user.edit": Applier.user_edit,
    "approval.request": Applier.approval_request, "approval.grant": Applier.approval_grant,
    "approval.reject": Applier.approval_reject,
}


def signer_key(replay, e):
    """"Who may sign"."""
    if e.action == "vault.create":
        typ, value = e.fields.get("signing_key", (None, None))
        return value if typ == BYTES and len(value) == 32 else None
    p = replay.principal(e.actor)
    if p is not None and (p["status"] == "active" or (p["status"] == "pending" and e.action == "user.enroll")):
        return p["signing_key"]
    return None


# --- "Verification" -------------------------------------------------------------------
def verify(tables, vault_id, checkpoint=None):
    """Returns (None, None) when the log verifies and the tables equal the replay's; else
    (seq or None, reason) of the first failure."""
    replay = Replay()
    previous, previous_time, last = bytes(32), None, 0
    types = [int, int, str, str, str, bytes, bytes, bytes]
    if checkpoint is not None:
        if checkpoint["vault"] != vault_id:
            return None, "the checkpoint belongs to another vault"
        if not checkpoint_signed(checkpoint):
            return None, "the checkpoint's signature is not valid"
    for row in tables["events"][1]:
        seq = row[0]
        # 1. the row is well-formed
        if (any(type(v) is not t for v, t in zip(row, types)) or len(row[6]) != 32 or len(row[7]) != 64
                or len(row[5]) > 1 << 20):
            return seq, "its row is malformed"
        # 2. the sequence
        if seq != last + 1:
            return seq, "events before it are missing" if seq > last + 1 else "its sequence number is out of order"
        # 3. the chain
        computed = chain(previous, row[5])
        if computed != row[6]:
            return seq, "its hash does not match"
        # 4. strict decoding
        try:
            body = decode_body(row[5])
        except Refused as err:
            return seq, str(err)
        e = Event(*body)
        # 5. the columns
        if [e.seq, e.t, e.actor, e.action, e.target] != row[:5]:
            return seq, "its listed columns disagree with its signed contents"
        # 6. time
        if previous_time is not None and e.t < previous_time:
            return seq, "its time is earlier than the event before it"
        # 7. who may sign, 8. the signature
        key = signer_key(replay, e)
        if key is None:
            return seq, "it is signed by someone who may not sign"
        if not signature_valid(key, b"brankas-event-sig-v1" + computed, row[7]):
            return seq, "its signature does not verify"
        # 9. the vault
        if seq == 1 and e.fields.get("vault_id") != (BYTES, vault_id):
            return seq, "it creates a different vault than the keyring belongs to"
        # 10. the replay
        if e.action not in ACTIONS:
            return seq, "has an action this verifier does not know"
        if seq > 1 and (1,) not in replay.t["vault"]:
            return seq, "comes before the vault was created"
        try:
            ACTIONS[e.action](Applier(replay, e))
        except NotApplied as err:
            return seq, f"event {seq} ({e.action}) {err}"
        # 11. the checkpoint's event
        if checkpoint is not None and seq == checkpoint["sequence"]:
            signer = replay.principal(checkpoint["signer"])
            if computed != checkpoint["head"]:
                return seq, "it differs from the checkpoint taken at this point (the log was rewritten)"
            if e.action != "audit.checkpoint" or e.actor != checkpoint["signer"] or e.t != checkpoint["time-us"]:
                return seq, "it is not the checkpoint event the checkpoint file describes"
            if signer is None or signer["signing_key"] != checkpoint["signer-key"]:
                return seq, "the checkpoint's signer key is not the signer's key in the log"
        previous, previous_time, last = computed, e.t, seq
    if last == 0:
        return None, "the log is empty"
    if checkpoint is not None and checkpoint["sequence"] > last:
        return None, "the log was truncated or rolled back"
    for name in COMPARED:
        columns, rows = tables[name]
        if columns != SCHEMA[name][0]:
            return None, f"the table '{name}' does not have the columns of schema 15"
        mine = replay.export(name)
        if len(mine) != len(rows):
            return None, f"the stored table '{name}' has {len(rows)} rows, the log makes {len(mine)}"
        for i, (a, b) in enumerate(zip(rows, mine), 1):
            if any(type(x) is not type(y) or x != y for x, y in zip(a, b)):
                return None, f"the stored table '{name}' row {i} differs from what the log says"
    return None, None
