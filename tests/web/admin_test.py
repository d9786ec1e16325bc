#!/usr/bin/python3
"""The admin's pages in a real browser (Debian's Chromium, headless, driven by Selenium).

An admin adds a sub-district, an account (a typed password, a mistyped one refused above the
same form with its reason kept and both password fields empty, a generated one), edits and archives accounts (a phone number and a check-out's reason past the vault's
limits are typed in full, refused with the vault's sentence and kept in the form); adds a person and reads the enrollment code once, with which
the person enrolls at the CLI; grants, revokes and disables; adds, extends and ends a term (an extension or an end refused comes back in the term's row, its
field as sent, below the vault's sentence; a
revoke, a disable and an end are each asked first, on a page that says what they will do, whose
way back does nothing); asks
`policy explain`; starts handovers that a second admin witnesses, that an admin completes or
cancels (a reason past the vault's limit kept in the form below its sentence), and prints the minutes, which are byte for byte the CLI's `handover minutes --format
html`. Every admin page is shot at a desktop size and at 390x844, where nothing may scroll
sideways, and so are the outgoing custodian's release page (where they release a handover) and
their people page, at the phone's size. A custodian who opens an admin page, or posts an admin's form, gets 403 and an
access.denied event; a form without its CSRF token is 403. The CLI then sees every change, each
signed by who made it, and `audit verify` passes.

usage: admin_test.py BRANKAS_BINARY SCREENSHOT_DIR
"""

import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from datetime import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from browser_test import DESKTOP, OP1_PASSPHRASE, PHONE, Flow, browser, left  # noqa: E402

ADMIN2_PASSPHRASE = "pohon-jati-di-tepi-kali-madiun-12"
OP3_PASSPHRASE = "sawah-terasering-di-ngebel-2030"

ADMIN_PAGES = ("/admin", "/admin/accounts", "/admin/units", "/admin/people", "/admin/terms", "/admin/handovers",
               "/admin/policy")


def choose(f, element_id, value):
    Select(f.d.find_element(By.ID, element_id)).select_by_value(value)


def fill(f, fields):
    for element_id, value in fields.items():
        element = f.d.find_element(By.ID, element_id)
        element.clear()
        element.send_keys(value)


def set_value(f, element_id, value):
    """A date field: its text entry depends on the browser's locale, its value does not."""
    f.d.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, value)


def submit_row_form(f, action, name, select_value=None, date_value=None, text_value=None):
    """Submits the small form of one row (a person, a term), found by its action and name."""
    form = f.d.find_element(By.XPATH, f"//form[@action='{action}'][input[@name='name'][@value='{name}']]")
    if select_value is not None:
        Select(form.find_element(By.TAG_NAME, "select")).select_by_value(select_value)
    if date_value is not None:
        f.d.execute_script("arguments[0].querySelector('input[name=end]').value = arguments[1]", form, date_value)
    if text_value is not None:
        form.find_element(By.CSS_SELECTOR, "input[name=units]").send_keys(text_value)
    f.click(form.find_element(By.TAG_NAME, "button"))


def notice(f):
    return f.text("notice")


def fetch(f, path):
    """The bytes the server sends for `path` in this browser's session, and the headers."""
    cookie = f.d.get_cookie("brankas")
    request = urllib.request.Request(f.url + path, headers={"Cookie": f"brankas={cookie['value']}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read(), {k.lower(): v for k, v in answer.headers.items()}


def main():
    binary, shots = sys.argv[1], sys.argv[2]
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="brankas-admin-")
    b = harness.Brankas(binary, work)
    harness.make_district(b)
    b.enroll("admin2", ADMIN2_PASSPHRASE, ["--role", "admin"])
    server = harness.Server(b)
    driver = browser(os.path.join(work, "profile"))
    try:
        f = Flow(driver, server.url, shots)
        f.resize("desktop", DESKTOP)
        f.sign_in("admin", harness.ADMIN_PASSPHRASE)
        f.click("menu-admin")
        assert f.path() == "/admin", f.path()
        assert f.text("institution") == "Bawaslu Kabupaten Ponorogo"
        f.shot("admin-1-status")

        # A sub-district.
        f.click("admin-units")
        fill(f, {"code": "35.02.03", "name": "Jetis"})
        f.click("add")
        assert notice(f) == "Kecamatan telah ditambahkan, dengan kuncinya sendiri.", notice(f)
        assert "35.02.03 Jetis" in f.text("units")
        f.shot("admin-2-units")

        # An account: added, a mistyped password refused, a typed one stored, a generated one.
        f.click("admin-accounts")
        choose(f, "unit", "35.02.03")
        choose(f, "platform", "tiktok")
        fill(f, {"handle": "panwascam.jetis", "email": "jetis@example.org"})
        f.click("add")
        jetis = harness.account_id(b, "tiktok/panwascam.jetis")
        assert f.path() == f"/admin/accounts/{jetis}?done=add", f.path()
        fill(f, {"password": "Sandi<Jetis>&'2030\"", "password_again": "Sandi-lain", "password-reason": "akun baru"})
        f.click("store-password")
        # The same page again: the sentence in the password's form, the reason kept, the two
        # password fields empty (a page never shows a typed password).
        assert f.text("problem") == "Kedua kata sandi tidak sama. Ketik ulang." and f.text("type-again"), f.text("problem")
        assert f.d.find_element(By.ID, "password-reason").get_attribute("value") == "akun baru"
        assert [f.d.find_element(By.ID, i).get_attribute("value") for i in ("password", "password_again")] == ["", ""]
        assert "Sandi" not in f.d.page_source
        # The generator's heading stands apart from the password form's button above it.
        stored = f.d.find_element(By.ID, "store-password").rect
        generator = f.d.find_element(By.ID, "generate-heading").rect
        assert generator["y"] - (stored["y"] + stored["height"]) >= 20, (stored, generator)
        typed = "Sandi<Jetis>&'2030\""
        fill(f, {"password": typed, "password_again": typed, "password-reason": "akun baru"})
        f.click("store-password")
        assert notice(f) == "Kata sandi telah disimpan sebagai versi baru." and f.text("version") == "1", f.text("version")
        shown = b.run(["secret", "show", "tiktok/panwascam.jetis", "--reason", "cek dari CLI"]).stdout
        assert shown == typed + "\n", shown
        fill(f, {"length": "32", "generate-reason": "ganti berkala"})
        f.click("generate")
        assert f.text("version") == "2" and typed not in f.d.page_source
        generated = b.run(["secret", "show", "tiktok/panwascam.jetis", "--reason", "cek dari CLI"]).stdout.strip()
        assert len(generated) == 32 and generated not in f.d.page_source, generated
        fill(f, {"phone": "+6281234567890"})
        f.click("save")
        assert notice(f) == "Rincian telah disimpan."
        shown = json.loads(b.run(["--json", "account", "show", "tiktok/panwascam.jetis"]).stdout)
        assert shown["phone"] == "+6281234567890" and shown["email"] == "jetis@example.org", shown
        f.shot("admin-3-account")
        # Past the vault's limits, typed in full (the fields stop past them, not at them): the
        # vault's sentence, the value kept in the form as typed, nothing changed or taken.
        long_phone = "+62 812-3456-7890-1234"  # 22 bytes: the vault keeps at most 20
        fill(f, {"phone": long_phone})
        f.click("save")
        assert "bukan nomor telepon" in f.text("problem"), f.text("problem")
        assert f.d.find_element(By.ID, "phone").get_attribute("value") == long_phone
        assert json.loads(b.run(["--json", "account", "show", "tiktok/panwascam.jetis"]).stdout)["phone"] == "+6281234567890"
        f.go(f"/accounts/{jetis}")
        long_reason = "Unggah materi sosialisasi tahapan Pilkada di akun kecamatan, sesuai surat tugas. " * 7  # 574 bytes
        fill(f, {"reason": long_reason})
        f.click("checkout")
        assert "alasan paling panjang 500 bita" in f.text("problem"), f.text("problem")
        assert f.d.find_element(By.ID, "reason").get_attribute("value") == long_reason
        assert json.loads(b.run(["--json", "checkouts"]).stdout) == [], "a reason past the vault's limit checked out"
        f.go(f"/admin/accounts/{jetis}")
        # A second account, archived.
        f.click("admin-accounts")
        choose(f, "unit", "35.02.03")
        choose(f, "platform", "youtube")
        fill(f, {"handle": "panwascamjetis"})
        f.click("add")
        f.click("archive")
        assert notice(f) == "Akun telah diarsipkan."
        assert json.loads(b.run(["--json", "account", "show", "youtube/panwascamjetis"]).stdout)["status"] == "archived"
        f.shot("admin-3-accounts")

        # A person: the code is shown once, and enrolls at the CLI; grant and revoke.
        f.click("admin-people")
        fill(f, {"name": "op3"})
        choose(f, "role", "custodian")
        choose(f, "unit", "35.02.03")
        f.click("add")
        assert f.text("added") == "op3 telah ditambahkan sebagai petugas kecamatan.", f.text("added")
        code = f.text("code")
        assert len(code) == 24 and f.headers_of("/admin/people")["cache-control"] == "no-store", code
        f.shot("admin-4-code")
        b.passphrases["op3"] = b.write("op3.pass", OP3_PASSPHRASE + "\n")
        b.run(["user", "enroll", "--code-file", b.write("op3.code", code + "\n"), "--kdf", "test"], user="op3")
        f.go("/admin/people")
        assert code not in f.d.page_source
        submit_row_form(f, "/admin/people/grant", "op3", select_value="35.02.02")
        assert notice(f).startswith("Akses kecamatan telah diberikan"), notice(f)
        # Revoking asks first, saying what it does; going back revokes nothing.
        submit_row_form(f, "/admin/people/revoke", "op3", select_value="35.02.02")
        assert f.text("heading") == "Cabut akses kecamatan ini?", f.text("heading")
        assert f.text("what").startswith("op3 tidak lagi dapat membuka kata sandi 35.02.02."), f.text("what")
        f.shot("admin-4-revoke-confirm")
        f.click("back")
        assert f.path() == "/admin/people", f.path()
        users = {u["name"]: u for u in json.loads(b.run(["--json", "user", "list"]).stdout)}
        assert sorted(users["op3"]["units"]) == ["35.02.02", "35.02.03"], users["op3"]
        submit_row_form(f, "/admin/people/revoke", "op3", select_value="35.02.02")
        assert f.text("confirm") == "Cabut akses 35.02.02 dari op3", f.text("confirm")
        f.click("confirm")
        assert notice(f).startswith("Akses kecamatan telah dicabut"), notice(f)
        users = {u["name"]: u for u in json.loads(b.run(["--json", "user", "list"]).stdout)}
        assert users["op3"]["units"] == ["35.02.03"] and users["op3"]["status"] == "active", users["op3"]
        f.shot("admin-4-people")

        # Terms: added, extended, ended. The term is next year's, whatever the day the test runs:
        # the server keeps the real time, and refuses a term whose end is past; it refuses to end
        # it before it starts too. One that started this year ends.
        year = datetime.now(harness.WIB).year + 1
        name = f"Pilkada {year}"
        f.click("admin-terms")
        fill(f, {"name": name, "units": "35.02.03"})
        set_value(f, "start", f"{year}-01-01")
        set_value(f, "end", f"{year}-06-30")
        f.click("add")
        assert notice(f) == "Masa tugas telah ditambahkan."
        # A last day before the first: refused in the term's row, the date kept in its field.
        submit_row_form(f, "/admin/terms/extend", name, date_value=f"{year - 2}-03-31")
        assert f.path() == "/admin/terms/extend" and f.text("problem"), f.path()
        problem_row = f.d.find_element(By.XPATH, "//p[@id='problem']/ancestor::li")
        assert name in problem_row.text, problem_row.text
        assert problem_row.find_element(By.CSS_SELECTOR, "input[name=end]").get_attribute("value") == f"{year - 2}-03-31"
        # The sentence stands on a line of its own above the row's forms, not squeezed beside them.
        actions = problem_row.find_element(By.CLASS_NAME, "actions")
        assert f.d.find_element(By.ID, "problem").size["width"] >= actions.size["width"] - 1, (f.d.find_element(By.ID, "problem").size, actions.size)
        submit_row_form(f, "/admin/terms/extend", name, date_value=f"{year}-09-30")
        assert notice(f) == "Masa tugas telah diperpanjang."
        term = [t for t in json.loads(b.run(["--json", "term", "list"]).stdout) if t["name"] == name][0]
        # Days in WIB: from 1 January 00:00 WIB (17:00 UTC the day before) to the end of 30 September WIB.
        assert (term["start"], term["end"]) == (f"{year - 1}-12-31T17:00:00.000000Z", f"{year}-09-30T17:00:00.000000Z"), term
        assert term["units"][0]["unit"] == "35.02.03", term
        submit_row_form(f, "/admin/terms/end", name)
        assert f.text("heading") == "Akhiri masa tugas ini sekarang?", f.text("heading")
        assert f.text("what").startswith(f"Masa tugas {name} berakhir hari ini untuk semua kecamatannya."), f.text("what")
        f.click("confirm")
        # The terms page again, the sentence in that term's row (its units field as sent: empty).
        assert "belum dimulai" in f.text("problem") and f.path() == "/admin/terms/end", (f.path(), f.text("problem"))
        problem_row = f.d.find_element(By.XPATH, "//p[@id='problem']/ancestor::li")
        assert name in problem_row.text, problem_row.text
        term = [t for t in json.loads(b.run(["--json", "term", "list"]).stdout) if t["name"] == name][0]
        assert term["end"] == f"{year}-09-30T17:00:00.000000Z", term
        f.go("/admin/terms")
        under_way = f"Pemilu {year - 1}"
        fill(f, {"name": under_way, "units": "35.02.03"})
        set_value(f, "start", f"{year - 1}-01-01")
        set_value(f, "end", f"{year}-06-30")
        f.click("add")
        assert notice(f) == "Masa tugas telah ditambahkan."
        submit_row_form(f, "/admin/terms/end", under_way, text_value="35.02.03")
        assert f.text("what").startswith(f"Masa tugas {under_way} berakhir hari ini untuk 35.02.03."), f.text("what")
        f.click("back")
        term = [t for t in json.loads(b.run(["--json", "term", "list"]).stdout) if t["name"] == under_way][0]
        assert term["end"] == f"{year}-06-30T17:00:00.000000Z", term
        submit_row_form(f, "/admin/terms/end", under_way)
        f.click("confirm")
        assert notice(f) == "Masa tugas telah diakhiri."
        term = [t for t in json.loads(b.run(["--json", "term", "list"]).stdout) if t["name"] == under_way][0]
        assert term["end"] != f"{year}-06-30T17:00:00.000000Z", term
        f.shot("admin-5-terms")

        # policy explain: allowed on one's own sub-district, refused on another's, with the rules.
        f.click("admin-policy")
        choose(f, "as", "op1")
        choose(f, "action", "checkout")
        fill(f, {"target": "instagram/panwascam.ponorogo"})
        f.click("explain")
        assert f.text("verdict") == "Diizinkan", f.text("verdict")
        f.shot("admin-6-policy")
        fill(f, {"target": "facebook/panwascam.babadan"})
        f.click("explain")
        # The engine's reason, in the page's language (Indonesian here), from its phrase.
        assert f.text("verdict") == "Ditolak" and "di kecamatan yang bukan aksesnya" in f.text("reasons"), f.text("reasons")

        # Handover 1: op1 -> op3 with admin2 as witness; op3 accepts, op1 releases, admin2 witnesses (which
        # completes it), and the minutes are the CLI's, byte for byte.
        f.click("admin-handovers")
        choose(f, "unit", "35.02.01")
        choose(f, "receiver", "op3")
        choose(f, "witness", "admin2")
        fill(f, {"note": "Pergantian operator <Ponorogo>"})
        f.click("start")
        assert f.path() == "/admin/handovers/1?done=start", f.path()
        assert f.text("release") == "masih ditunggu dari op1", f.text("release")
        b.run(["handover", "accept", "1"], user="op3")
        # The outgoing custodian signs too, on their phone: their handovers to release, then the
        # sub-districts and people they may see.
        f.click("sign-out")
        f.resize("phone", PHONE)
        f.sign_in("op1", OP1_PASSPHRASE)
        f.go("/handovers/to-release")
        f.shot("custodian-1-to-release")
        f.click("release-1")
        assert f.path() == "/handovers/to-release?done=released", f.path()
        assert f.text("released-1").startswith("Anda telah melepaskannya pada "), f.text("released-1")
        f.shot("custodian-2-released")
        f.go("/people")
        f.shot("custodian-3-people")
        f.click("sign-out")
        f.resize("desktop", DESKTOP)
        f.sign_in("admin2", ADMIN2_PASSPHRASE)
        f.go("/admin/handovers/1")
        f.click("witness")
        assert notice(f) == "Serah terima telah selesai." and f.text("state") == "selesai", f.text("state")
        assert f.text("step-released").startswith("dilepaskan oleh op1 pada "), f.text("step-released")
        f.shot("admin-7-handover")
        minutes, headers = fetch(f, "/admin/handovers/1/minutes")
        assert minutes == b.run(["handover", "minutes", "1", "--format", "html"]).stdout.encode(), "the minutes differ from the CLI's"
        assert "script-src" not in headers["content-security-policy"] and headers["cache-control"] == "no-store", headers
        assert b"@page { size: A4;" in minutes and f.text("code").encode() in minutes
        f.click("sign-out")

        # Handover 2 is completed by the admin, handover 3 cancelled.
        f.sign_in("admin", harness.ADMIN_PASSPHRASE)
        for unit in ("35.02.02", "35.02.03"):
            f.go("/admin/handovers")
            choose(f, "unit", unit)
            choose(f, "receiver", "op1")
            fill(f, {"note": "Penataan ulang petugas"})
            f.click("start")
            assert f.path().endswith("?done=start"), f.d.find_element(By.TAG_NAME, "main").text
        b.run(["handover", "accept", "2"], user="op1")
        b.run(["handover", "release", "2"], user="op2")
        f.go("/admin/handovers/2")
        f.click("complete")
        assert notice(f) == "Serah terima telah selesai.", notice(f)
        f.go("/admin/handovers/3")
        # A reason longer than the vault keeps: the sentence above the same form, the reason as typed.
        long_reason = "Salah kecamatan <Jenangan> & \"Babadan\"" + " panjang" * 70
        set_value(f, "reason", long_reason)
        f.click("cancel")
        assert "500 bita" in f.text("problem") and f.path() == "/admin/handovers/3/cancel", (f.path(), f.text("problem"))
        assert f.d.find_element(By.ID, "reason").get_attribute("value") == long_reason and f.text("state") != "dibatalkan"
        fill(f, {"reason": "salah kecamatan"})
        f.click("cancel")
        assert f.text("state") == "dibatalkan"
        states = {h["id"]: h["state"] for h in json.loads(b.run(["--json", "handover", "list"]).stdout)}
        assert states == {1: "completed", 2: "completed", 3: "cancelled"}, states

        # Disable a person.
        f.go("/admin/people")
        submit_row_form(f, "/admin/people/disable", "op2")
        assert f.text("heading") == "Nonaktifkan pengguna ini?", f.text("heading")
        assert f.text("what") == ("op2 tidak lagi dapat membuka brankas, dan kecamatan yang kuncinya pernah ia pegang mendapat "
                                  "kunci baru."), f.text("what")
        users = {u["name"]: u for u in json.loads(b.run(["--json", "user", "list"]).stdout)}
        assert users["op2"]["status"] == "active", users["op2"]
        f.click("confirm")
        assert notice(f) == "Pengguna telah dinonaktifkan."
        users = {u["name"]: u for u in json.loads(b.run(["--json", "user", "list"]).stdout)}
        assert users["op2"]["status"] == "disabled"

        # A form without its CSRF token is refused, and changes nothing.
        f.go("/admin/units")
        f.d.execute_script("document.querySelector('#add-unit input[name=csrf]').remove()")
        fill(f, {"code": "35.02.04", "name": "Sukorejo"})
        f.click("add")
        assert f.text("heading") == "Tidak diizinkan", f.text("heading")
        assert "35.02.04" not in b.run(["unit", "list"]).stdout

        # Every admin page at a phone's width, and in English through the switch.
        f.resize("phone", PHONE)
        for n, path in enumerate(ADMIN_PAGES + (f"/admin/accounts/{jetis}", "/admin/handovers/1")):
            f.go(path)
            f.shot(f"admin-{n + 1}-{path.strip('/').replace('/', '-')}")
        f.go("/admin/people")
        f.click("language")
        assert f.d.find_element(By.TAG_NAME, "h1").text == "People"
        f.shot("admin-people-english")
        f.click("language")
        f.resize("desktop", DESKTOP)
        f.click("sign-out")

        # A custodian: the admin's pages are 403 and an access.denied event; so is an admin's form
        # posted with the custodian's own token (the engine refuses it).
        f.sign_in("op1", OP1_PASSPHRASE)
        assert not f.d.find_elements(By.ID, "menu-admin")
        for path in ("/admin/people", "/admin/accounts", "/admin/handovers/1/minutes"):
            f.go(path)
            assert f.text("heading") == "Tidak diizinkan", (path, f.text("heading"))
        f.shot("admin-8-custodian-refused")
        token = f.d.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] input[name=csrf]").get_attribute("value")
        f.d.execute_script(
            "const form = document.createElement('form'); form.method = 'post'; form.action = '/admin/units';"
            "for (const [k, v] of [['csrf', arguments[0]], ['code', '35.02.05'], ['name', 'Sawoo']]) {"
            "  const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; form.appendChild(i); }"
            "document.body.appendChild(form); form.id = 'forged';", token)
        old = f.d.find_element(By.TAG_NAME, "html")
        f.d.execute_script("document.getElementById('forged').submit()")
        WebDriverWait(f.d, 30).until(left(old))
        assert f.text("heading") == "Tidak diizinkan", f.text("heading")
    finally:
        driver.quit()
        log = server.stop()
    for secret in (typed, generated, code, harness.ADMIN_PASSPHRASE, ADMIN2_PASSPHRASE):
        assert secret not in log, "the server's log holds a secret"

    # The CLI sees every change, signed by who made it; the refusals are the engine's.
    events = b.audit_log()
    done = [(e["actor"], e["action"]) for e in events]
    for action in ("unit.add", "account.add", "account.edit", "account.archive", "secret.set", "user.add", "user.grant",
                   "user.revoke", "user.disable", "term.add", "term.extend", "term.end", "handover.start",
                   "handover.complete", "handover.cancel"):
        assert ("admin", action) in done, action
    assert ("admin2", "handover.witness") in done and ("op3", "handover.accept") in done, done
    denied = [e["target"] for e in events if e["actor"] == "op1" and e["action"] == "access.denied"]
    assert "admin/people" in denied and "admin/accounts" in denied and "admin/handovers" in denied, denied
    assert len([e for e in events if e["action"] == "unit.add" and e["target"] in ("unit/35.02.04", "unit/35.02.05")]) == 0
    assert any(e["action"] == "access.denied" and e["actor"] == "op1" and "admin/" not in e["target"] for e in events), denied
    verified = b.run(["audit", "verify"])
    assert verified.returncode == 0, verified.stderr
    shutil.rmtree(work)
    print(f"admin test: 1 passed, 0 failed ({time.monotonic() - started:.1f} s; screenshots in {shots})")


if __name__ == "__main__":
    main()
