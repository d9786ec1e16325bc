#!/usr/bin/python3
"""Two of the command line's daily acts in the browser, over HTTP as a browser sends them:

* the incoming custodian accepts a handover (`handover accept ID`): the handovers that wait for
  them are listed with their accounts, accepting signs the handover.accept event with their own
  key; another custodian sees none of it and is refused (access.denied);
* an admin disables a person with a new key for the store (`user disable --rekey`): the event
  carries the re-key, every other open session signs in again, the admin's own goes on; the
  row's form only asks first, saying so, and changes nothing until its answer is sent; a
  custodian posting the same form is refused; a reason the vault would refuse (too long, not one
  line of visible text, or none where dual control makes the re-key a request) is refused before
  the confirmation is asked, not after it, and comes back in the person's row as typed; under
  dual control the form records a request, and the approved request's page offers the re-key once.

usage: handover_rekey_test.py BRANKAS_BINARY
"""

import json
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"
OP3_PASSPHRASE = "pendatang-baru-di-kecamatan-ponorogo-8"
OP4_PASSPHRASE = "relawan-pengawas-tps-di-babadan-2029"
ADMIN2_PASSPHRASE = "sawah-terasering-di-lereng-wilis-2029"


def check_handover_accept(b, url, op1):
    b.enroll("op3", OP3_PASSPHRASE, ["--role", "custodian"])
    started = json.loads(b.run(["--json", "handover", "start", "--unit", "35.02.01", "--to", "op3", "--note", "pergantian tim"]).stdout)
    hid = str(started["id"])
    op3 = Browser(url)
    op3.sign_in("op3", OP3_PASSPHRASE)
    page = op3.page("/handovers/to-accept")
    card = re.search(r'<section class="card" id="handover-' + hid + r'">(.*?)</section>', page, re.S)
    assert card, page[:3000]
    for part in ("35.02.01", "op1", "pergantian tim", "instagram/panwascam.ponorogo"):
        assert part in card.group(1), (part, card.group(1))
    # Not op1's to accept: nothing listed, and the vault refuses (and records) the attempt.
    assert 'id="no-handovers"' in op1.page("/handovers/to-accept")
    before = len(b.audit_log())
    code, _, _ = op1.post(f"/handovers/{hid}/accept", {}, token_from="/handovers/to-accept")
    assert code == 403, code
    assert [e["action"] for e in b.audit_log()[before:]] == ["access.denied"]
    code, headers, _ = op3.post(f"/handovers/{hid}/accept", {}, token_from="/handovers/to-accept")
    assert code == 303 and headers["location"] == "/handovers/to-accept?done=accepted", (code, headers)
    accepted = b.audit_log()[-1]
    assert accepted["action"] == "handover.accept" and accepted["actor"] == "op3", accepted
    page = op3.page("/handovers/to-accept?done=accepted")
    assert "Diterima" in text_of(page, "notice") and 'id="no-handovers"' in page, page[:3000]
    shown = json.loads(b.run(["--json", "handover", "show", hid]).stdout)
    assert shown["state"] == "accepted", shown
    # Accepted once: again is the vault's refusal.
    code, _, _ = op3.post(f"/handovers/{hid}/accept", {}, token_from="/handovers/to-accept")
    assert code in (403, 409), code


def check_disable_without_rekey(b, url):
    """A person disabled at the command line (without a re-key) while signed in: their next request
    ends the session, reading included, and signs nothing (the log would refuse an event of a
    disabled signer, and `audit verify` with it)."""
    b.enroll("op4", OP4_PASSPHRASE, ["--role", "custodian", "--unit", "35.02.01"])
    op4 = Browser(url)
    op4.sign_in("op4", OP4_PASSPHRASE)
    op4.page("/accounts")
    b.run(["user", "disable", "op4"])
    before = len(b.audit_log())
    # A page they may not read (whose refusal was a signed access.denied) ends the session.
    code, headers, _ = op4.get("/admin")
    assert code == 303 and headers["location"] == "/sign-in?ended=access", (code, headers)
    assert len(b.audit_log()) == before, b.audit_log()[before:]
    assert "menonaktifkan" in text_of(op4.page("/sign-in?ended=access"), "notice")
    # The session is gone: the old cookie is that of no session, even for a page they could read.
    code, headers, _ = op4.get("/accounts")
    assert code == 303 and headers["location"].startswith("/sign-in?ended=1"), (code, headers)
    # So does a page they may read, for someone else disabled while signed in.
    b.enroll("op5", OP4_PASSPHRASE + "-5", ["--role", "custodian", "--unit", "35.02.01"])
    op5 = Browser(url)
    op5.sign_in("op5", OP4_PASSPHRASE + "-5")
    b.run(["user", "disable", "op5"])
    before = len(b.audit_log())
    code, headers, _ = op5.get("/accounts")
    assert code == 303 and headers["location"] == "/sign-in?ended=access", (code, headers)
    assert len(b.audit_log()) == before, b.audit_log()[before:]
    assert b.run(["audit", "verify"]).returncode == 0


def refused_in_row(b, admin, name, form, said):
    """The disable form `form` for `name`: the people page again with the vault's sentence in the
    person's row (`said` in it), the reason and the box as sent; no confirmation, nothing recorded."""
    before = len(b.audit_log())
    code, _, page = admin.post("/admin/people/disable", dict(form, name=name), token_from="/admin/people")
    page = page.decode("utf-8")
    assert code == 400 and 'id="confirmation"' not in page, (form, code, page[:3000])
    assert said in unescape(text_of(page, "problem")), (form, text_of(page, "problem"))
    row = re.search(r'<li class="row person" id="person-' + name + r'">.*?</li>', page, re.S).group(0)
    assert 'id="problem"' in row and page.count('id="problem"') == 1, row
    # (The form's fields are read without surrounding blanks; the template's escaping writes a tab as a space.)
    typed = form.get("reason", "").strip().replace("\t", " ")
    assert unescape(re.search(r'<input name="reason" value="([^"]*)"', row).group(1)) == typed, row
    assert ('<input type="checkbox" name="rekey" value="1" checked>' in row) == (form.get("rekey") == "1"), row
    assert b.audit_log()[before:] == [], b.audit_log()[before:]


def check_disable_with_rekey(b, url, op1):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    people = admin.page("/admin/people")
    assert 'name="rekey"' in people, people[:3000]
    # Not a custodian's to do.
    code, _, _ = op1.post("/admin/people/disable", {"name": "op2", "rekey": "1"}, token_from="/accounts")
    assert code == 403, code
    op1.page("/accounts")
    # A reason the re-key would refuse is refused before anything is asked, with the vault's sentence.
    long_reason = "Pindah <tugas> & \"mutasi\"" + " panjang" * 70
    for form, said in (({"rekey": "1", "reason": long_reason}, "500 bita"),
                       ({"rekey": "1", "reason": "rapat\u202e evaluasi"}, "U+202E"),
                       ({"rekey": "1", "reason": "rapat\tevaluasi"}, "satu baris"),
                       ({"reason": "rapat\tevaluasi"}, "satu baris"),  # kept in the event without a re-key too
                       ({"rekey": "", "reason": "pindah", "request": "1"}, "--rekey"),
                       ({"rekey": "1", "request": "satu"}, "paling kecil 1")):
        refused_in_row(b, admin, "op2", form, said)
    # The row's form, as its button sends it, only asks, saying what follows; the answer's form does it.
    code, _, page = admin.post("/admin/people/disable", {"name": "op2", "rekey": "1"}, token_from="/admin/people")
    page = page.decode("utf-8")
    assert code == 200 and "semua orang lain yang sedang masuk harus masuk lagi" in text_of(page, "what"), (code, page[:3000])
    assert '<input type="hidden" name="confirmed" value="1">' in page and '<input type="hidden" name="rekey" value="1">' in page, page
    assert [u for u in json.loads(b.run(["--json", "user", "list"]).stdout) if u["name"] == "op2"][0]["status"] == "active"
    code, headers, _ = admin.post("/admin/people/disable", {"name": "op2", "rekey": "1", "confirmed": "1"}, token_from="/admin/people")
    assert code == 303 and headers["location"] == "/admin/people?done=rekey", (code, headers)
    disabled = [e for e in b.audit_log() if e["action"] == "user.disable"][-1]
    assert disabled["target"] == "op2" and disabled["details"].get("store_generation") == 2, disabled
    # The admin who re-keyed goes on; every other session signs in again.
    page = admin.page("/admin/people?done=rekey")
    assert "kunci baru" in text_of(page, "notice"), page[:2000]
    code, headers, _ = op1.get("/accounts")
    assert code == 303 and headers["location"] == "/sign-in?ended=store", (code, headers)
    again = Browser(url)
    again.sign_in("op1", OP1_PASSPHRASE)
    assert "panwascam.ponorogo" in again.page("/accounts")
    users = {u["name"]: u for u in json.loads(b.run(["--json", "user", "list"]).stdout)}
    assert users["op2"]["status"] == "disabled", users["op2"]


def check_rekey_under_dual_control(b, url):
    """Under [dual_control] actions = ["rekey"] the disable form records a request and says so; a
    second admin approves it; the request's page then offers the re-key, which names the request."""
    b.enroll("admin2", ADMIN2_PASSPHRASE, ["--role", "admin"])
    b.run(["policy", "set", b.write("dual.toml", '[dual_control]\nactions = ["rekey"]\n')])
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    code, _, page = admin.post("/admin/people/disable", {"name": "op3", "rekey": "1", "reason": "pindah tugas"},
                               token_from="/admin/people")
    page = page.decode("utf-8")
    assert code == 200 and "persetujuan orang kedua" in text_of(page, "what"), (code, page[:3000])
    assert '<input type="hidden" name="reason" value="pindah tugas">' in page, page
    # A reason longer than the vault keeps, or none where the re-key becomes a request: the people
    # page again, before the confirmation as after it (a form sent again), the sentence in op3's
    # row, the reason and the box as sent; nothing is asked for.
    long_reason = "Pindah <tugas> & \"mutasi\"" + " panjang" * 70
    for confirmed in ({}, {"confirmed": "1"}):
        refused_in_row(b, admin, "op3", dict(confirmed, rekey="1", reason=long_reason), "500 bita")
        refused_in_row(b, admin, "op3", dict(confirmed, rekey="1", reason=""), "memerlukan alasan")
        refused_in_row(b, admin, "op3", dict(confirmed, rekey="1", reason="   "), "memerlukan alasan")
    code, headers, _ = admin.post("/admin/people/disable", {"name": "op3", "rekey": "1", "reason": "pindah tugas", "confirmed": "1"},
                                  token_from="/admin/people")
    assert code == 303, (code, headers)
    where = re.fullmatch(r"/approvals/(\d+)\?done=requested-rekey", headers["location"])
    assert where, headers
    request = where.group(1)
    page = admin.page(headers["location"])
    assert "kendali ganda" in text_of(page, "notice") and "use-request" not in page, page[:3000]
    assert [u for u in json.loads(b.run(["--json", "user", "list"]).stdout) if u["name"] == "op3"][0]["status"] == "active"
    admin2 = Browser(url)
    admin2.sign_in("admin2", ADMIN2_PASSPHRASE)
    code, headers, _ = admin2.post(f"/approvals/{request}/approve", {"reason": "sesuai surat tugas"}, token_from=f"/approvals/{request}")
    assert code == 303, (code, headers)
    page = admin.page(f"/approvals/{request}")
    assert 'action="/admin/people/disable"' in page and 'id="use-request"' in page, page[:3000]
    # Its button names what it does: it is the step's confirmation, and does it at once.
    use = re.search(r'<form method="post" action="/admin/people/disable".*?</form>', page, re.S).group(0)
    assert '<input type="hidden" name="confirmed" value="1">' in use, use
    code, headers, _ = admin.post("/admin/people/disable", {"name": "op3", "rekey": "1", "request": request, "confirmed": "1"},
                                  token_from=f"/approvals/{request}")
    assert code == 303 and headers["location"] == "/admin/people?done=rekey", (code, headers)
    disabled = [e for e in b.audit_log() if e["action"] == "user.disable"][-1]
    assert disabled["target"] == "op3" and disabled["details"].get("request") == int(request), disabled
    assert disabled["reason"] == "pindah tugas", disabled


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-handover-rekey-")
    b = harness.Brankas(binary, work)
    harness.make_district(b)
    server = harness.Server(b)
    try:
        op1 = Browser(server.url)
        op1.sign_in("op1", OP1_PASSPHRASE)
        check_handover_accept(b, server.url, op1)
        check_disable_without_rekey(b, server.url)
        check_disable_with_rekey(b, server.url, op1)
        check_rekey_under_dual_control(b, server.url)
        assert b.run(["audit", "verify"]).returncode == 0
    finally:
        log = server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for secret in (OP1_PASSPHRASE, OP3_PASSPHRASE, OP4_PASSPHRASE, ADMIN2_PASSPHRASE, harness.ADMIN_PASSPHRASE):
        assert secret not in log, "a passphrase reached the server's log"
    print("handover accept and user disable --rekey in the browser: ok")


if __name__ == "__main__":
    main()
