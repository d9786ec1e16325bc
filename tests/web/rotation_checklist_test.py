#!/usr/bin/python3
"""A custodian's password change outside every term, and an open deactivation checklist, over
HTTP as a browser sends them (cookies, the forms' CSRF tokens), in Indonesian, each checked
against the command line on the same vault:

* the rotation page offers the break-glass box to a custodian only where the policy names
  custodians in `[break_glass] roles`, never to an admin; outside every term a start without the
  box is the engine's refusal (403, its sentence, one access.denied event) and shows nothing;
  with the box and a reason the pending password is shown once (no-store), its secret.pending
  event is flagged break-glass and signed by the custodian, and `secret show --pending` prints
  the same password; the custodian who started a break-glass rotation is offered its confirmation
  and confirms it there (flagged, the notice says so, `secret show` prints the password shown),
  while another custodian of the sub-district is refused (403, one access.denied); with
  custodians taken out of the roles again, the box is gone and the same form is refused and
  recorded;
* once the enforcer deactivated the sub-district's account, its checklist page shows the
  built-in steps in Indonesian (the catalogue's, in the policy's order) and in English when the
  visitor asks for it (an auditor, who never ticks one, is offered no form); a step ticked with
  a note says by whom and when, as `account checklist`
  does; a note longer than the vault keeps is refused at its step, the note kept in its field; a form without its CSRF token records nothing; a custodian of another sub-district gets
  403 and an access.denied event.

usage: rotation_checklist_test.py BRANKAS_BINARY
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
from approvals_test import EnglishBrowser  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

JETIS = "tiktok/panwascam.jetis"
JETIS_PASSWORD = "sandi-jetis-lama-5521"
OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"
OP3_PASSPHRASE = "jembatan-kali-madiun-di-jetis-64"
OP4_PASSPHRASE = "sawah-hijau-di-tepi-kali-jetis-71"
CONFIRMED_FLAGGED = ("Kata sandi baru kini menjadi kata sandi saat ini. Ini mengakhiri penggantian kata sandi dengan akses darurat: "
                     "ditandai dalam log audit.")

BREAK_GLASS_BOX = "Gunakan akses darurat: kecamatan ini di luar masa tugas (ditandai dalam log audit)"
STEPS_ID = [
    ("new-password", "Pasang kata sandi baru (dari brankas) di platform"),
    ("recovery", "Ganti surel dan telepon pemulihan dengan milik kabupaten/kota"),
    ("sessions", "Akhiri semua sesi login"),
    ("request", "Ajukan penonaktifan di platform"),
    ("waiting", "Masa tunggu platform"),
    ("confirmed", "Penonaktifan sudah dipastikan"),
]
STEPS_EN = [
    ("new-password", "Set the new password (from brankas) on the platform"),
    ("recovery", "Move the recovery e-mail and phone to the district&#39;s"),
    ("sessions", "Log out all sessions"),
    ("request", "Request deactivation on the platform"),
    ("waiting", "Platform waiting period"),
    ("confirmed", "Confirmed deactivated"),
]


def set_policy(b, break_glass_roles):
    """No grace period after a term (Jetis's ended), and who may break the glass."""
    roles = ", ".join(f'"{r}"' for r in break_glass_roles)
    b.run(["policy", "set", b.write("policy.toml", f'[term]\ngrace_period = "0s"\n\n[break_glass]\nroles = [{roles}]\n')])


def setup(b):
    harness.make_district(b)
    b.run(["unit", "add", "35.02.03", "Jetis"])
    b.run(["account", "add", "--unit", "35.02.03", "--platform", "tiktok", "--handle", "panwascam.jetis"])
    b.run(["secret", "set", JETIS, "--from-file", b.write("jetis.pw", JETIS_PASSWORD + "\n")])
    b.enroll("op3", OP3_PASSPHRASE, ["--role", "custodian", "--unit", "35.02.03"])
    b.enroll("op4", OP4_PASSPHRASE, ["--role", "custodian", "--unit", "35.02.03"])
    # Jetis's term ends now; with no grace period its accounts are outside every term.
    b.run(["term", "end", "Pemilu 2029", "--unit", "35.02.03"])
    set_policy(b, ["admin"])


def events_since(b, before):
    return b.audit_log()[before:]


def refused_start(b, op3, jetis, form, expect):
    """A start the engine refuses: 403, its sentence, one access.denied by op3, nothing shown."""
    before = len(b.audit_log())
    code, _, data = op3.post(f"/accounts/{jetis}/rotation/start", form, token_from=f"/accounts/{jetis}/rotation")
    page = data.decode("utf-8")
    assert code == 403, (form, code, page[:2000])
    sentence = unescape(text_of(page, "detail"))
    assert re.search(expect, sentence), (expect, sentence)
    assert [(e["action"], e["actor"]) for e in events_since(b, before)] == [("access.denied", "op3")], events_since(b, before)
    assert 'id="password"' not in page
    assert "secret.pending" not in [e["action"] for e in b.audit_log()[before:]]


def check_rotation_break_glass(b, url):
    jetis = harness.account_id(b, JETIS)
    ponorogo = harness.account_id(b, "instagram/panwascam.ponorogo")
    op3 = Browser(url)
    op3.sign_in("op3", OP3_PASSPHRASE)
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)

    # The policy's default: only admins break the glass, so no custodian is offered the box.
    page = op3.page(f"/accounts/{jetis}/rotation")
    assert 'id="start-rotation"' in page and 'id="rotation-break-glass"' not in page, page[:3000]
    refused_start(b, op3, jetis, {"reason": "akun diretas", "break_glass": "1"}, "petugas kecamatan")

    set_policy(b, ["admin", "custodian"])
    page = op3.page(f"/accounts/{jetis}/rotation")
    assert 'id="rotation-break-glass"' in page, page[:3000]
    box = re.search(r'<label class="rekey"><input type="checkbox" name="break_glass" value="1" id="rotation-break-glass">\s*(.*?)</label>',
                    page, re.S)
    assert box and box.group(1).strip() == BREAK_GLASS_BOX, page[:3000]
    # An admin rotates in any term: the box is never theirs.
    assert 'id="rotation-break-glass"' not in admin.page(f"/accounts/{jetis}/rotation")

    # Outside every term, without the box: the engine refuses, names the term, records it.
    refused_start(b, op3, jetis, {"reason": "akun diretas"}, "masa tugas")
    # With the box but no reason: refused as well, and nothing generated.
    before = len(b.audit_log())
    code, _, data = op3.post(f"/accounts/{jetis}/rotation/start", {"reason": "  ", "break_glass": "1"},
                             token_from=f"/accounts/{jetis}/rotation")
    assert code in (400, 403) and 'id="password"' not in data.decode(), (code, data[:1500])
    assert "secret.pending" not in [e["action"] for e in events_since(b, before)]
    # With the box and a reason longer than the vault keeps: the same form again, the reason as
    # typed and the box still ticked, nothing generated.
    reason = "Akun <diretas> & \"dikunci\"" + " panjang" * 70
    code, _, data = op3.post(f"/accounts/{jetis}/rotation/start", {"reason": reason, "break_glass": "1"},
                             token_from=f"/accounts/{jetis}/rotation")
    page = data.decode()
    assert code == 400 and "500 bita" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/accounts/\d+/rotation/start".*?</form>', page, re.S).group(0)
    assert unescape(re.search(r'<input id="start-reason" name="reason" value="([^"]*)"', form).group(1)) == reason, form
    assert 'id="rotation-break-glass" checked>' in form and 'id="password"' not in page, form
    assert events_since(b, before) == [], events_since(b, before)

    code, headers, data = op3.post(f"/accounts/{jetis}/rotation/start", {"reason": "akun diretas, sandi harus diganti", "break_glass": "1"},
                                   token_from=f"/accounts/{jetis}/rotation")
    page = data.decode("utf-8")
    assert code == 200 and headers.get("cache-control") == "no-store", (code, headers, page[:2000])
    shown = unescape(text_of(page, "password"))
    assert len(shown) == 20 and shown != JETIS_PASSWORD, shown
    assert text_of(page, "pending").startswith("Versi "), text_of(page, "pending")
    assert 'id="rotation-break-glass"' not in page and 'id="start-rotation"' not in page
    pending = [e for e in b.audit_log() if e["action"] == "secret.pending"][-1]
    assert pending["actor"] == "op3" and pending["details"].get("break_glass") in (True, 1), pending
    assert pending["account"] == JETIS and pending["reason"] == "akun diretas, sandi harus diganti", pending
    assert "BREAK-GLASS" in b.run(["audit", "log", "--action", "secret.pending"]).stdout
    cli = b.run(["secret", "show", JETIS, "--pending", "--break-glass", "--reason", "memeriksa rotasi darurat"]).stdout.strip()
    assert cli == shown, (cli, shown)
    # The admin confirms it (in any term): the shown password is the current one.
    code, headers, _ = admin.post(f"/accounts/{jetis}/rotation/confirm", {}, token_from=f"/accounts/{jetis}/rotation")
    assert code == 303 and headers["location"].endswith("done=confirmed"), (code, headers)
    cli = b.run(["secret", "show", JETIS, "--break-glass", "--reason", "memeriksa rotasi darurat"]).stdout.strip()
    assert cli == shown, (cli, shown)

    # op3 breaks the glass again and finishes it in the browser: the page offers the
    # confirmation, op4 (the other custodian of Jetis) is refused, op3's confirmation is flagged.
    code, _, data = op3.post(f"/accounts/{jetis}/rotation/start", {"reason": "akun diretas lagi", "break_glass": "1"},
                             token_from=f"/accounts/{jetis}/rotation")
    assert code == 200, (code, data[:2000])
    shown = unescape(text_of(data.decode("utf-8"), "password"))
    page = op3.page(f"/accounts/{jetis}/rotation")
    assert 'id="confirm-rotation"' in page and 'id="abort-rotation"' in page, page[:3000]
    op4 = Browser(url)
    op4.sign_in("op4", OP4_PASSPHRASE)
    before = len(b.audit_log())
    code, _, data = op4.post(f"/accounts/{jetis}/rotation/confirm", {}, token_from=f"/accounts/{jetis}/rotation")
    assert code == 403, (code, data[:2000])
    assert "masa tugas" in unescape(text_of(data.decode("utf-8"), "detail"))
    assert [(e["action"], e["actor"]) for e in events_since(b, before)] == [("access.denied", "op4")], events_since(b, before)
    code, headers, _ = op3.post(f"/accounts/{jetis}/rotation/confirm", {}, token_from=f"/accounts/{jetis}/rotation")
    assert code == 303 and headers["location"].endswith("done=confirmed&flagged=1"), (code, headers)
    notice = unescape(text_of(op3.page(headers["location"]), "notice"))
    assert notice == CONFIRMED_FLAGGED, notice
    done = b.audit_log()[-1]
    assert done["action"] == "secret.confirm" and done["actor"] == "op3" and done["details"].get("break_glass") in (True, 1), done
    cli = b.run(["secret", "show", JETIS, "--break-glass", "--reason", "memeriksa rotasi darurat"]).stdout.strip()
    assert cli == shown, (cli, shown)
    b.run(["audit", "verify"])

    # Custodians out of the roles again: no box, and the same form is refused and recorded.
    set_policy(b, ["admin"])
    assert 'id="rotation-break-glass"' not in op3.page(f"/accounts/{jetis}/rotation")
    refused_start(b, op3, jetis, {"reason": "akun diretas lagi", "break_glass": "1"}, "petugas kecamatan")
    # Inside its term a custodian's own sub-district needs no glass: the box is not shown there.
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    assert 'id="rotation-break-glass"' not in op1.page(f"/accounts/{ponorogo}/rotation")


def steps_of(page):
    return re.findall(r'<li class="step" id="step-([a-z-]+)">\s*<span class="step-text">(.*?)</span>', page, re.S)


def check_checklist(b, url):
    jetis = harness.account_id(b, JETIS)
    key = os.path.join(b.dir, "enforcer.key")
    b.run(["enforcer", "add", "enforcer", "--keyfile", key])
    b.run(["--keyfile", key, "enforce"], user="enforcer")
    deactivated = [a for a in json.loads(b.run(["--json", "account", "list"]).stdout) if a["unit"] == "35.02.03"]
    assert [a["status"] for a in deactivated] == ["deactivated"], deactivated

    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    page = admin.page(f"/accounts/{jetis}/checklist")
    assert text_of(page, "heading").replace("<wbr>", "") == f"Daftar periksa penonaktifan {JETIS}", text_of(page, "heading")
    assert re.search(r'<p class="intro">Dibuka \d{4}-\d\d-\d\d \d\d:\d\d WIB\.</p>', page), page[:3000]
    assert steps_of(page) == STEPS_ID, steps_of(page)
    assert page.count('id="tick-') == len(STEPS_ID) and 'id="complete"' not in page
    assert 'id="no-checklist"' not in page
    # The switch to English shows the same steps in the source language.
    english = EnglishBrowser(url)
    english.sign_in("admin", harness.ADMIN_PASSPHRASE)
    page_en = english.page(f"/accounts/{jetis}/checklist")
    assert text_of(page_en, "heading").replace("<wbr>", "") == f"Deactivation checklist of {JETIS}", text_of(page_en, "heading")
    assert steps_of(page_en) == STEPS_EN, steps_of(page_en)

    # A form without its CSRF token records nothing.
    before = len(b.audit_log())
    code, _, _ = admin.request("POST", f"/accounts/{jetis}/checklist", {"step": "recovery", "note": "tanpa token"})
    assert code == 403 and len(b.audit_log()) == before, code
    # A note longer than the vault keeps: the sentence at the step, the note as typed, nothing ticked.
    note = "Surel <kabupaten> & \"nomor\" diganti" + " panjang" * 70
    code, _, data = admin.post(f"/accounts/{jetis}/checklist", {"step": "recovery", "note": note}, token_from=f"/accounts/{jetis}/checklist")
    page = data.decode()
    assert code == 400 and "500 bita" in unescape(text_of(page, "problem")), (code, page[:3000])
    step = re.search(r'<li class="step" id="step-recovery">(.*?)</li>', page, re.S).group(1)
    assert 'id="problem"' in step and page.count('id="problem"') == 1, page
    typed = re.search(r'<input id="note-recovery" name="note" value="([^"]*)"', step)
    assert typed and unescape(typed.group(1)) == note, step
    assert len(b.audit_log()) == before, b.audit_log()[before:]
    code, headers, _ = admin.post(f"/accounts/{jetis}/checklist", {"step": "recovery", "note": "surel dan nomor kabupaten"},
                                  token_from=f"/accounts/{jetis}/checklist")
    assert code == 303 and headers["location"] == f"/accounts/{jetis}/checklist?done=1", (code, headers)
    ticked = b.audit_log()[-1]
    assert ticked["actor"] == "admin" and ticked["account"] == JETIS, ticked
    page = admin.page(f"/accounts/{jetis}/checklist?done=1")
    assert text_of(page, "notice") == "Langkah ini telah dicentang di log.", text_of(page, "notice")
    step = re.search(r'<li class="step" id="step-recovery">(.*?)</li>', page, re.S).group(1)
    done = re.search(r'<span class="done">(.*?)</span>', step).group(1)
    assert re.fullmatch(r"selesai \d{4}-\d\d-\d\d \d\d:\d\d WIB oleh admin: surel dan nomor kabupaten", done), done
    assert 'id="tick-recovery"' not in page and page.count('id="tick-') == len(STEPS_ID) - 1
    assert steps_of(page) == STEPS_ID
    cli = b.run(["account", "checklist", JETIS]).stdout
    assert "[x] recovery" in cli and "[ ] confirmed" in cli, cli

    # An auditor reads the checklist, and is offered no step to tick (the role never ticks one).
    b.enroll("audra", "catatan-pengawas-yang-teliti-2029", ["--role", "auditor"])
    auditor = Browser(url)
    auditor.sign_in("audra", "catatan-pengawas-yang-teliti-2029")
    page = auditor.page(f"/accounts/{jetis}/checklist")
    assert steps_of(page) == STEPS_ID and 'id="tick-' not in page, page[:3000]

    # A custodian of another sub-district: 403 and an access.denied event, never the page.
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    before = len(b.audit_log())
    code, _, data = op1.get(f"/accounts/{jetis}/checklist")
    assert code == 403 and "Pasang kata sandi baru" not in data.decode(), (code, data[:1500])
    assert [(e["action"], e["actor"]) for e in events_since(b, before)] == [("access.denied", "op1")], events_since(b, before)


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-rotation-checklist-")
    b = harness.Brankas(binary, work)
    setup(b)
    server = harness.Server(b)
    try:
        check_rotation_break_glass(b, server.url)
        check_checklist(b, server.url)
        assert b.run(["audit", "verify"]).returncode == 0
    finally:
        log = server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for secret in (OP1_PASSPHRASE, OP3_PASSPHRASE, harness.ADMIN_PASSPHRASE):
        assert secret not in log, "a passphrase reached the server's log"
    print("a custodian's break-glass rotation and an open checklist in Indonesian, in the browser: ok")


if __name__ == "__main__":
    main()
