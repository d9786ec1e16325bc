#!/usr/bin/python3
"""Break-glass and dual control in the browser, driven over HTTP as a browser sends them (cookies,
the forms' CSRF tokens), each checked against the command line on the same vault:

* without dual control an admin breaks the glass on an account outside every term: the password
  is shown and the check-out is flagged in the log; without a reason it is refused, and a
  custodian (whom the policy does not let break the glass) is refused with an access.denied event;
* under [dual_control] the same check-out records a request and shows nothing; the requester may
  not use it before it is approved nor approve it; a custodian neither sees nor decides it; a
  second admin approves it with a reason (a decision without one, or with one longer than the
  vault keeps, comes back in its form as typed, below the vault's sentence); a use that does not match the request (another reason,
  another account) is refused; the requester uses it once (the password, the check-out naming the
  request); a second use, a rejected request and an expired one are refused — each refusal a 403
  with the vault's sentence and an access.denied event, as at the command line.

usage: approvals_test.py BRANKAS_BINARY
"""

import json
import os
import re
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

JETIS = "tiktok/panwascam.jetis"
JETIS_PASSWORD = "sandi-jetis-<darurat>-4410"
ADMIN2_PASSPHRASE = "pengawas-kedua-di-kantor-kabupaten-31"


class EnglishBrowser(Browser):
    """A visitor whose browser asks for English: the vault's sentences in the source language."""

    def request(self, method, path, form=None):
        self.cookies["lang"] = "en"
        return super().request(method, path, form)


def set_policy(b, text=""):
    """The policy in force: `text`, and no grace period after a term (Jetis's ended)."""
    b.run(["policy", "set", b.write("policy.toml", '[term]\ngrace_period = "0s"\n' + text)])


def denied_since(b, before, actor):
    return [e for e in b.audit_log()[before:] if e["action"] == "access.denied" and e["actor"] == actor]


def refused(browser, b, actor, path, form, token_from, expect=None, status=403):
    """Posts a form that the vault must refuse: the status, the vault's sentence, and (for a 403)
    exactly one access.denied event by `actor`."""
    before = len(b.audit_log())
    code, _, data = browser.post(path, form, token_from=token_from)
    page = data.decode("utf-8")
    assert code == status, (path, form, code, page[:2000])
    sentence = unescape(text_of(page, "detail" if status == 403 else "message"))
    if expect:
        assert re.search(expect, sentence), (expect, sentence)
    if status == 403:
        assert len(denied_since(b, before, actor)) == 1, b.audit_log()[before:]
    assert "sandi-jetis" not in page
    return sentence


def setup(b):
    harness.make_district(b)
    # A sub-district whose term ended (no grace period): its accounts are taken only by breaking
    # the glass.
    b.run(["unit", "add", "35.02.03", "Jetis"])
    b.run(["term", "end", "Pemilu 2029", "--unit", "35.02.03"])
    set_policy(b)
    b.run(["account", "add", "--unit", "35.02.03", "--platform", "tiktok", "--handle", "panwascam.jetis"])
    b.run(["secret", "set", JETIS, "--from-file", b.write("jetis.pw", JETIS_PASSWORD + "\n")])
    b.run(["account", "add", "--unit", "35.02.03", "--platform", "youtube", "--handle", "panwascam.jetis", "--generate"])
    b.enroll("admin2", ADMIN2_PASSPHRASE, ["--role", "admin"])


def check_break_glass(b, url, admin, op1):
    jetis = harness.account_id(b, JETIS)
    ponorogo = harness.account_id(b, "instagram/panwascam.ponorogo")
    page = admin.page(f"/accounts/{jetis}")
    assert 'id="break-glass-form"' in page, page[:3000]
    # An ordinary check-out is refused outside every term, as at the CLI.
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", {"reason": "cek akun", "duration": "1h"}, f"/accounts/{jetis}",
            "hanya dapat dipakai dalam masa tugas")
    # Breaking the glass needs a reason, whatever the policy says about ordinary check-outs.
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", {"reason": " ", "duration": "1h", "break_glass": "1"},
            f"/accounts/{jetis}", "wajib disertai alasan")
    code, headers, _ = admin.post(f"/accounts/{jetis}/checkout", {"reason": "akun diretas", "duration": "1h", "break_glass": "1"},
                                  token_from=f"/accounts/{jetis}")
    assert code == 303 and headers["location"] == f"/accounts/{jetis}/password", (code, headers)
    code, headers, data = admin.get(f"/accounts/{jetis}/password")
    assert code == 200 and headers["cache-control"] == "no-store", (code, headers)
    assert unescape(text_of(data.decode(), "password")) == JETIS_PASSWORD
    taken = [e for e in b.audit_log() if e["action"] == "checkout" and e["actor"] == "admin"][-1]
    assert taken["details"].get("break_glass") in (True, 1), taken
    shown = b.run(["audit", "log", "--action", "checkout"]).stdout
    assert "BREAK-GLASS" in shown, shown
    code, headers, _ = admin.post(f"/accounts/{jetis}/checkin", {}, token_from=f"/accounts/{jetis}")
    assert code == 303, code

    # A custodian may not break the glass (the policy's default roles): past the admin's hold on
    # their own sub-district's account, refused and recorded.
    code, _, _ = admin.post(f"/accounts/{ponorogo}/checkout", {"reason": "unggah materi", "duration": "1h"},
                            token_from=f"/accounts/{ponorogo}")
    assert code == 303, code
    admin.get(f"/accounts/{ponorogo}/password")
    refused(op1, b, "op1", f"/accounts/{ponorogo}/checkout", {"reason": "darurat", "duration": "1h", "break_glass": "1"},
            f"/accounts/{ponorogo}", "petugas kecamatan")
    code, _, _ = admin.post(f"/accounts/{ponorogo}/checkin", {}, token_from=f"/accounts/{ponorogo}")
    assert code == 303, code


def request_break_glass(b, admin, account, reason, duration="1h"):
    """The break-glass form under dual control: a request, and nothing shown."""
    before = len(b.audit_log())
    code, headers, _ = admin.post(f"/accounts/{account}/checkout", {"reason": reason, "duration": duration, "break_glass": "1"},
                                  token_from=f"/accounts/{account}")
    assert code == 303, (code, headers)
    m = re.fullmatch(r"/approvals/(\d+)\?done=requested", headers["location"])
    assert m, headers
    request = m.group(1)
    new = b.audit_log()[before:]
    assert [e["action"] for e in new] == ["approval.request"], new
    assert str(new[0]["seq"]) == request, new
    return request


def check_dual_control(b, url, admin, op1):
    set_policy(b, '[dual_control]\nactions = ["break_glass"]\napprovers = ["admin"]\nwindow = "30m"\n')
    jetis = harness.account_id(b, JETIS)
    other = harness.account_id(b, "youtube/panwascam.jetis")
    request = request_break_glass(b, admin, jetis, "akun diretas")
    page = admin.page(f"/approvals/{request}?done=requested")
    assert "sandi-jetis" not in page and 'id="password"' not in page
    assert "menunggu persetujuan" in text_of(page, "standing"), page[:3000]
    assert text_of(page, "requester") == "admin" and unescape(text_of(page, "reason")) == "akun diretas"
    assert 'id="approve-form"' not in page, "the requester is offered their own request to approve"
    waiting = json.loads(b.run(["--json", "approvals"], user="admin2").stdout)
    assert [str(r["id"]) for r in waiting] == [request] and waiting[0]["account"] == JETIS, waiting

    use = {"break_glass": "1", "request": request}
    # Not before it is approved.
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", use, f"/accounts/{jetis}", f"permintaan {request} baru mendapat 0 dari 1")
    # Nobody approves their own request.
    refused(admin, b, "admin", f"/approvals/{request}/approve", {"reason": "saya sendiri"}, f"/approvals/{request}", "permintaannya sendiri")
    # A custodian sees neither the request nor its sub-district, and may not decide it.
    assert f'id="request-{request}"' not in op1.page("/approvals")
    assert json.loads(b.run(["--json", "approvals", "--all"], user="op1").stdout) == []  # the CLI leaves it out too
    before = len(b.audit_log())
    assert op1.get(f"/approvals/{request}")[0] == 403
    assert len(denied_since(b, before, "op1")) == 1
    refused(op1, b, "op1", f"/approvals/{request}/approve", {"reason": "setuju"}, "/approvals", "petugas kecamatan")

    # A second admin: the list says who, what, why and until when; a decision needs a reason.
    admin2 = Browser(url)
    admin2.sign_in("admin2", ADMIN2_PASSPHRASE)
    listed = admin2.page("/approvals")
    row = re.search(r'<li class="row" id="request-' + request + r'">(.*?)</li>', listed, re.S)
    assert row, listed[:3000]
    for part in ("admin", JETIS, "akun diretas", "WIB", "0 dari 1"):
        assert part in unescape(row.group(1)), (part, row.group(1))
    # A reason the vault does not take (none, or longer than it keeps) comes back in the same form,
    # as typed, below the vault's sentence; nothing is decided.
    before = len(b.audit_log())
    long_reason = "Dikonfirmasi <lewat> telepon & \"surat\"" + " panjang" * 70
    for verdict, reason in (("approve", "  "), ("reject", long_reason)):
        code, _, data = admin2.post(f"/approvals/{request}/{verdict}", {"reason": reason}, token_from=f"/approvals/{request}")
        page = data.decode()
        assert code == 400 and "alasan" in unescape(text_of(page, "problem")), (verdict, code, page[:3000])
        form = re.search(r'<form method="post" action="/approvals/\d+/' + verdict + r'".*?</form>', page, re.S).group(0)
        assert 'id="problem"' in form and page.count('id="problem"') == 1, form
        typed = re.search(r'<input id="' + verdict + r'-reason" name="reason" value="([^"]*)"', form)
        assert typed and unescape(typed.group(1)) == reason.strip(), form
    assert b.audit_log()[before:] == [], b.audit_log()[before:]
    code, headers, _ = admin2.post(f"/approvals/{request}/approve", {"reason": "dikonfirmasi lewat telepon"},
                                   token_from=f"/approvals/{request}")
    assert code == 303 and headers["location"] == f"/approvals/{request}?done=approved", (code, headers)
    granted = b.audit_log()[-1]
    assert granted["action"] == "approval.grant" and granted["actor"] == "admin2", granted
    assert "disetujui" in admin2.page(f"/approvals/{request}")

    # The use must match the request exactly: not another reason, not another account.
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", dict(use, reason="alasan lain"), f"/accounts/{jetis}",
            "meminta hal lain")
    refused(admin, b, "admin", f"/accounts/{other}/checkout", use, f"/accounts/{other}", "meminta hal lain")
    # Offered on the account's page and the request's; used once.
    assert f'id="use-request-{request}"' in admin.page(f"/accounts/{jetis}")
    code, headers, _ = admin.post(f"/accounts/{jetis}/checkout", use, token_from=f"/approvals/{request}")
    assert code == 303 and headers["location"] == f"/accounts/{jetis}/password", (code, headers)
    assert unescape(text_of(admin.page(f"/accounts/{jetis}/password"), "password")) == JETIS_PASSWORD
    taken = b.audit_log()[-1]
    assert taken["action"] == "checkout" and str(taken["details"].get("request")) == request, taken
    code, _, _ = admin.post(f"/accounts/{jetis}/checkin", {}, token_from=f"/accounts/{jetis}")
    assert code == 303
    english = EnglishBrowser(url)
    english.sign_in("admin", harness.ADMIN_PASSPHRASE)
    refused(english, b, "admin", f"/accounts/{jetis}/checkout", use, f"/accounts/{jetis}", "used already")
    assert "digunakan" in admin.page(f"/approvals/{request}")

    # Rejected: never usable.
    second = request_break_glass(b, admin, jetis, "akun diretas lagi")
    code, headers, _ = admin2.post(f"/approvals/{second}/reject", {"reason": "tidak terkonfirmasi"}, token_from=f"/approvals/{second}")
    assert code == 303 and headers["location"] == f"/approvals/{second}?done=rejected", (code, headers)
    assert b.audit_log()[-1]["action"] == "approval.reject"
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", {"break_glass": "1", "request": second}, f"/accounts/{jetis}", "ditolak")
    refused(admin2, b, "admin2", f"/approvals/{second}/approve", {"reason": "berubah pikiran"}, "/approvals?all=1", None)

    # Expired: neither approved nor used after its window.
    set_policy(b, '[dual_control]\nactions = ["break_glass"]\napprovers = ["admin"]\nwindow = "1s"\n')
    third = request_break_glass(b, admin, jetis, "akun diretas sekali lagi")
    time.sleep(1.5)
    refused(admin2, b, "admin2", f"/approvals/{third}/approve", {"reason": "terlambat"}, "/approvals?all=1", "kedaluwarsa")
    refused(admin, b, "admin", f"/accounts/{jetis}/checkout", {"break_glass": "1", "request": str(third)}, f"/accounts/{jetis}", None)
    everything = admin2.page("/approvals?all=1")
    for n in (request, second, third):
        assert f'id="request-{n}"' in everything, (n, everything[:3000])
    assert f'id="request-{third}"' not in admin2.page("/approvals")


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-approvals-")
    b = harness.Brankas(binary, work)
    setup(b)
    server = harness.Server(b)
    try:
        admin = Browser(server.url)
        admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
        op1 = Browser(server.url)
        op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
        check_break_glass(b, server.url, admin, op1)
        check_dual_control(b, server.url, admin, op1)
        assert b.run(["audit", "verify"]).returncode == 0
    finally:
        log = server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for secret in (harness.ADMIN_PASSPHRASE, ADMIN2_PASSPHRASE, JETIS_PASSWORD):
        assert secret not in log, "a secret reached the server's log"
    print("approvals: break-glass, a request approved and used once, self-approval, mismatch, reuse, rejection, expiry: ok")


if __name__ == "__main__":
    main()
