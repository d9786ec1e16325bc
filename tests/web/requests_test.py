#!/usr/bin/python3
"""What a request cannot make the browser face tell or do, over plain HTTP:

* a custodian who posts to an account route of another sub-district (check-out, check-in,
  checklist, rotation) is refused as the account's page refuses them: 403, an access.denied
  event, nothing else done and the account not named, whoever holds it;
* a form's body shorter than its Content-Length is not acted on, and one over the limit is 413;
* a custodian's handovers report leaves out another sub-district's handovers;
* a form's address opened as a page is 405 with the method it takes and a link to the form's
  page, nothing run; it and an address that is no page (404) stand in a signed-in person's
  frame (menu, sign-out, language switch), and a visitor's page is bare but for the switch;
* a request the server cannot read (an address with a second '?', or too long) is a page in the
  visitor's language with every page's headers, not an empty answer;
* a HEAD runs no page: it is 405 with the methods the page takes, records nothing (not even a
  custodian's refusal), takes no password waiting to be shown and touches no session; the
  static files answer it as GET does, and `/sign-in` and `/` as their GET answers a visitor
  (status and headers, no body, no cookie);
* two check-outs in one session each show their password once;
* a name that is no person's in a report's filter is 404, not an internal error;
* sign-in and enrollment refuse every name alike: an unknown one, one not enrolled yet, the
  enforcer's (a key file), the recovery principal's, a wrong passphrase or code all get the
  same sentence and status, counted by the back-off; so do names whose keyring slot is damaged
  (its id or its times), which the server's log names; and its first sign-in logs every damaged
  slot in `brankas status`'s words; the status report shows them in those words, in the
  reader's language, and the verify page, as `audit verify`, says the log verifies but the
  keyring does not, with the sentence of each damaged slot;
* thirty wrong passphrases sent at once are tried no more than four sent one after another;
* signing in or enrolling with a session's cookie ends that session; a form sent after its
  session ended leads, once signed in again, back to the page the form stood on;
* a sub-district's name or a handover's note holding an invisible or direction-changing
  character is refused from the admin's forms, and nothing is added.

usage: requests_test.py BRANKAS_BINARY
"""

import hashlib
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"
OP2_PASSPHRASE = "sawah-hijau-di-lereng-lawu-77"


def check_other_accounts_refused(b, url):
    op2 = Browser(url)
    op2.sign_in("op2", OP2_PASSPHRASE)
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    code, _, data = op1.get("/accounts/2")
    assert code == 403, code
    posts = ("/accounts/2/checkout", "/accounts/2/checkin", "/accounts/2/checklist", "/accounts/2/rotation/start",
             "/accounts/2/rotation/show", "/accounts/2/rotation/confirm", "/accounts/2/rotation/abort")
    for held in (False, True):
        if held:  # someone holds it: the answer must not say so
            code, headers, _ = op2.post("/accounts/2/checkout", {"reason": "rapat", "duration": "1h"}, token_from="/accounts/2")
            assert code == 303 and headers["location"] == "/accounts/2/password", (code, headers)
        for path in posts:
            before = len(b.audit_log())
            code, _, data = op1.post(path, {"reason": "lihat", "duration": "1h", "step": "x"}, token_from="/accounts")
            page = data.decode()
            assert code == 403, (path, held, code, page[:2000])
            assert "babadan" not in page, (path, held, page[:2000])
            assert [e["action"] for e in b.audit_log()[before:]] == ["access.denied"], (path, held)
    code, _, _ = op2.post("/accounts/2/checkin", {}, token_from="/accounts/2")
    assert code == 303, code


def raw_post(url, request, end_sending=False):
    """Sends a request as written; returns the status of the answer, or None without one."""
    parsed = urllib.parse.urlparse(url)
    s = socket.create_connection((parsed.hostname, parsed.port), timeout=60)
    s.sendall(request)
    if end_sending:
        s.shutdown(socket.SHUT_WR)
    answer = s.recv(65536)
    s.close()
    return int(answer.split(b" ", 2)[1]) if answer else None


def check_bodies(b):
    """On a server of its own, whose log says what it acted on."""
    server = harness.Server(b)
    try:
        form = Browser(server.url)
        page = form.page("/sign-in")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf": token, "name": "op2", "passphrase": OP2_PASSPHRASE}).encode()
        head = (b"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Cookie: brankas_form=" + form.cookies["brankas_form"].encode() + b"\r\nContent-Length: %d\r\n\r\n")
        # Cut off: every field arrived, but not the whole body, and the connection ends (cpp-httplib
        # then writes no answer: the log below says whether it was acted on).
        raw_post(server.url, head % (len(body) + 100) + body, end_sending=True)
        # Over the limit.
        assert raw_post(server.url, head % (len(body) + 33000) + body + b"&x=" + b"a" * 32997) == 413
        # The whole body is acted on.
        assert raw_post(server.url, head % len(body) + body) == 303
    finally:
        log = server.stop()
    assert log.count("signed in 'op2'") == 1, log


def check_library_refusals(url):
    """A request the server cannot read (a second '?' in its address, an address too long) is
    answered with a page in the visitor's language and the headers of every page, not an empty
    answer."""
    parsed = urllib.parse.urlparse(url)
    for target, status in ((b"/audit?unit=1?x", 400), (b"/" + b"a" * 9000, 414)):
        s = socket.create_connection((parsed.hostname, parsed.port), timeout=60)
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: id\r\nConnection: close\r\n\r\n")
        # Read to the end of the body its length gives: the library keeps a connection whose
        # request it could not read open until its keep-alive timeout, whatever it asked.
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            assert chunk, answer
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:])}
        while len(body) < int(headers["content-length"]):
            chunk = s.recv(65536)
            assert chunk, body
            body += chunk
        s.close()
        assert int(lines[0].split(" ")[1]) == status, lines
        assert headers.get("cache-control") == "no-store" and "frame-ancestors 'none'" in headers.get("content-security-policy", ""), headers
        assert "Permintaan tidak dapat diproses" in body.decode(), body[:2000]


def check_unknown_address_framed(url):
    """An address that is no page is 404 in the page's frame: a signed-in person's with their menu,
    sign-out and the language switch; a visitor's, or one whose cookie names no session, bare but
    for the switch."""
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    code, headers, data = op1.get("/akun/tidak-ada?x=1")
    page = data.decode()
    assert code == 404 and headers.get("cache-control") == "no-store", (code, headers)
    assert text_of(page, "heading") == "Tidak ditemukan", page[:3000]
    for shown in ('id="menu-accounts"', 'id="sign-out"', 'class="who" title="Masuk sebagai">op1<', 'href="/accounts">Kembali ke daftar akun</a>',
                  'id="language" href="/language/en?next=%2Fakun%2Ftidak-ada%3Fx%3D1"'):
        assert shown in page, (shown, page[:3000])
    visitor = Browser(url)
    visitor.cookies["brankas"] = "0" * 64
    for who in (visitor, Browser(url)):
        code, _, data = who.get("/akun/tidak-ada")
        page = data.decode()
        assert code == 404 and text_of(page, "heading") == "Tidak ditemukan", (code, page[:3000])
        assert 'id="language"' in page and "sign-out" not in page and 'id="menu"' not in page, page[:3000]


def check_other_handovers_untold(b, url):
    """A handover of Babadan (35.02.02) to a new custodian: op1, who keeps Ponorogo only, finds
    it in no report, whoever it names; op2, who hands it over, and the auditor do."""
    b.enroll("op5", "sawah-di-kaki-gunung-wilis-5", ["--role", "custodian"])
    b.run(["handover", "start", "--unit", "35.02.02", "--to", "op5", "--note", "kunci lemari 4471"])
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    for path in ("/reports/handovers", "/reports/handovers?unit=35.02.02"):
        page = op1.page(path)
        assert 'id="handovers"' in page and "35.02.02</td>" not in page and "op5" not in page, (path, page[:3000])
    op2 = Browser(url)
    op2.sign_in("op2", OP2_PASSPHRASE)
    assert "<td>op5</td>" in op2.page("/reports/handovers")


def check_form_address_opened(b, url):
    """A form's address opened as a page (typed again, a tab restored on a form's answer): 405
    with the method it takes and the way back to the form's page, nothing run."""
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    before = len(b.audit_log())
    for path, page in (("/accounts/1/checkout", "/accounts/1"), ("/admin/people/grant", "/admin/people")):
        code, headers, data = op1.get(path)
        text = data.decode()
        assert code == 405 and headers.get("allow") == "POST" and headers.get("cache-control") == "no-store", (path, code, headers)
        assert "Alamat ini menerima formulir" in text and f'<a href="{page}" id="back">' in text, (path, text[:3000])
        assert 'id="sign-out"' in text and 'id="menu-accounts"' in text, (path, text[:3000])
    assert len(b.audit_log()) == before


def check_reveals(b, url, passwords):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    code, _, _ = op1.post("/accounts/1/checkout", {"reason": "unggah", "duration": "1h"}, token_from="/accounts/1")
    assert code == 303, code
    code, _, data = op1.request("HEAD", "/accounts/1/password")
    assert data == b"" and code == 405, code
    page = op1.page("/accounts/1/password")
    assert shown_password(page) == passwords["instagram/panwascam.ponorogo"], page[:2000]
    op1.post("/accounts/1/checkin", {}, token_from="/accounts/1")
    # Two check-outs, then their pages: each shows its own password once.
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    for n in ("1", "2"):
        code, _, _ = admin.post(f"/accounts/{n}/checkout", {"reason": "periksa", "duration": "1h"}, token_from=f"/accounts/{n}")
        assert code == 303, code
    for n, ref in (("1", "instagram/panwascam.ponorogo"), ("2", "facebook/panwascam.babadan")):
        page = admin.page(f"/accounts/{n}/password")
        assert shown_password(page) == passwords[ref], (n, page[:2000])
        assert admin.get(f"/accounts/{n}/password")[0] == 303  # once only
        admin.post(f"/accounts/{n}/checkin", {}, token_from=f"/accounts/{n}")
    return admin


def shown_password(page):
    shown = re.search(r'id="password"[^>]*>(.*?)<', page, re.S)
    return shown and unescape(shown.group(1))


def check_unknown_names(admin):
    for path in ("/reports/exposure?person=nobody", "/audit?actor=nobody", "/admin/policy?as=nobody&action=checkout"):
        code, _, data = admin.get(path)
        assert code == 404, (path, code, data[:2000])


def refusal(browser, path, form):
    started = time.monotonic()
    code, _, data = browser.post(path, form)
    page = data.decode()
    return code, text_of(page, "problem"), time.monotonic() - started


def check_names_alike(b, url):
    b.run(["user", "add", "pending1", "--role", "auditor"])
    b.run(["user", "add", "pending2", "--role", "auditor"])
    b.run(["enforcer", "add", "penegak", "--keyfile", os.path.join(b.dir, "enforcer.key")])
    b.run(["recovery", "split", "--shares", "3", "--threshold", "2", "--out-dir", os.path.join(b.dir, "shares")])
    # Most people's passphrase slots now have the interactive cost (op1's and the others' have
    # the test's cheap one): a refusal that finds no slot to try derives at that cost.
    for name in ("dewi", "joko", "rina", "sari"):
        added = json.loads(b.run(["--json", "user", "add", name, "--role", "auditor", "--kdf", "test"]).stdout)
        b.passphrases[name] = b.write(name + ".pass", "kopi-tubruk-pagi-hari-di-pasar-99\n")
        b.run(["user", "enroll", "--code-file", b.write(name + ".code", added["enrollment_code"] + "\n"), "--kdf", "interactive"], user=name)
    visitor = Browser(url)
    answers = {}
    for name in ("nosuchuser", "pending1", "penegak", "recovery", "op1", "dewi"):
        answers[name] = refusal(visitor, "/sign-in", {"name": name, "passphrase": "salah-sekali-bukan-ini-99"})
    unknown = answers["nosuchuser"]
    assert unknown[0] == 401, answers
    for name, (code, sentence, took) in answers.items():
        assert (code, sentence) == unknown[:2], (name, answers)
        # A name with no passphrase slot costs a derivation as an unknown one does, and that one
        # costs what a wrong passphrase costs most people (op1's is cheap).
        assert name == "op1" or took >= unknown[2] / 3, (name, answers)
    assert answers["dewi"][2] / 3 <= unknown[2] <= 3 * answers["dewi"][2] and answers["dewi"][2] > 2 * answers["op1"][2], answers
    # Each counted: the next try of a name is made to wait, whatever the name was.
    for name in ("pending1", "penegak"):
        for _ in range(4):
            code, _, _ = refusal(visitor, "/sign-in", {"name": name, "passphrase": "salah-sekali-bukan-ini-99"})
        assert code == 429, (name, code)
    pp = "satu-dua-tiga-empat-lima-enam"
    enrolls = {}
    for name in ("nosuchuser2", "op2", "pending2"):
        enrolls[name] = refusal(visitor, "/enroll", {"name": name, "code": "AAAA-BBBB-CCCC-DDDD-EEEE", "passphrase": pp, "repeat": pp})
    first = enrolls["nosuchuser2"]
    assert first[0] == 401, enrolls
    for name, (code, sentence, _) in enrolls.items():
        assert (code, sentence) == first[:2], (name, enrolls)


def damage_slot(b, name, change):
    """Changes `name`'s slot in the keyring on disk, as a failing disk or a bad copy would
    (docs/formats.md, "Keyring file")."""
    path = os.path.join(b.vault, "keyring")
    with open(path, "rb") as f:
        data = bytearray(f.read())
    vault_id = bytes(data[10:26])
    wanted = hashlib.blake2b(b"brankas-slot-id-v1" + vault_id + bytes([len(name)]) + name.encode(), digest_size=32).digest()[:16]
    at = 28  # magic, version, vault id, slot count
    for _ in range(int.from_bytes(data[26:28], "big")):
        body = at + 2
        if bytes(data[body:body + 16]) == wanted:
            change(data, body)
            with open(path, "wb") as f:
                f.write(data)
            return
        at = body + int.from_bytes(data[at:body], "big")
    raise AssertionError("no slot of " + name)


def slot_lines(page):
    """The sentences of the damaged or missing slots a page shows."""
    shown = re.search(r'<ul class="problem" id="slot-problems">(.*?)</ul>', page, re.S)
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", shown.group(1), re.S)] if shown else []


def verify_result(browser):
    code, headers, _ = browser.post("/audit/verify", {})
    assert code == 303 and headers["location"] == "/audit/verify", (code, headers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = browser.page("/audit/verify")
        if 'id="progress"' not in page:
            return page
        time.sleep(0.2)
    raise AssertionError("the verification did not end")


def check_slots_shown(b, admin, told):
    """The status report says what `brankas status` says of each slot, and the verify page what
    `brankas audit verify` says of the damaged ones, in the reader's language, through the catalogue."""
    env = dict(b.env, LANGUAGE="id", LANG="C.UTF-8", BRANKAS_PASSPHRASE_FILE=b.passphrases["admin"])
    status_id = subprocess.run([b.binary, "--vault", b.vault, "--user", "admin", "status"], env=env, capture_output=True, text=True, timeout=120)
    told_id = [line for line in status_id.stdout.splitlines() if "SLOT" in line]
    assert len(told_id) == len(told) and told_id != told, told_id
    # `audit verify` fails on the damaged ones (the log itself holds), naming them.
    verified = b.run(["audit", "verify"], check=False)
    assert verified.returncode != 0 and "the log verifies, but the keyring slot" in verified.stderr, verified.stderr
    damaged = [line for line in told if line.startswith("DAMAGED SLOT")]
    damaged_id = [line for line in told_id if line.startswith("SLOT RUSAK")]
    assert damaged and len(damaged) == len(damaged_id), (told, told_id)
    for said, status_lines, verify_lines, verifies in (("id", told_id, damaged_id, "Log lolos verifikasi"),
                                                       ("en", told, damaged, "The log verifies")):
        admin.get(f"/language/{said}?next=/accounts")
        assert slot_lines(admin.page("/reports/status")) == status_lines, (said, admin.page("/reports/status")[:4000])
        # The admin's first page lists them among what needs attention.
        first = html.unescape(admin.page("/admin"))
        assert all(f"<li>{line}</li>" in first for line in status_lines) and 'class="empty"' not in first, (said, first[:4000])
        page = verify_result(admin)
        result = html.unescape(text_of(page, "result"))
        assert result.startswith(verifies) and 'class="bad" id="result"' in page, result
        assert slot_lines(page) == verify_lines, (said, page[:4000])
    admin.get("/language/id?next=/accounts")
    # Where nothing is damaged, nothing is said: another report, or no slot of the kind.
    assert slot_lines(admin.page("/reports/access")) == []


def check_damaged_slots(b):
    """On a server of its own: a back-off of its own, and a log that says what each refusal was."""
    flips = {
        "rusak1": lambda data, body: data.__setitem__(body + 5, data[body + 5] ^ 0x20),  # the id
        "rusak2": lambda data, body: data.__setitem__(body + 25, data[body + 25] ^ 0x40),  # the expiry: year 146,000
    }
    for name in flips:
        b.enroll(name, "pohon-kelapa-di-pantai-parangtritis-5", ["--role", "auditor"])
    keyring = os.path.join(b.vault, "keyring")
    with open(keyring, "rb") as f:
        intact = f.read()
    for name, flip in flips.items():
        damage_slot(b, name, flip)
    server = harness.Server(b)
    try:
        visitor = Browser(server.url)
        wrong = {"passphrase": "salah-sekali-bukan-ini-99"}
        unknown = refusal(visitor, "/sign-in", dict(wrong, name="tidakada"))
        assert unknown[0] == 401, unknown
        for name in flips:
            answer = refusal(visitor, "/sign-in", dict(wrong, name=name))
            assert answer[:2] == unknown[:2], (name, answer, unknown)
            # Counted as a refused name is: the fifth try waits.
            for _ in range(4):
                code, _, _ = refusal(visitor, "/sign-in", dict(wrong, name=name))
            assert code == 429, (name, code)
        # Nothing was said of the damage before a session was open (the server holds no key
        # that reads the log); the first sign-in says it, in `brankas status`'s words, and the
        # other people are served as before.
        assert "SLOT" not in "".join(server.lines), server.lines
        admin = Browser(server.url)
        admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
        admin.page("/accounts")
        Browser(server.url).sign_in("op1", OP1_PASSPHRASE)  # once per server: not said again
        told = [line for line in b.run(["status"]).stdout.splitlines() if "SLOT" in line]
        assert len(told) == len(flips), told
        check_slots_shown(b, admin, told)
    finally:
        log = server.stop()
        with open(keyring, "wb") as f:  # as a backup would put it back
            f.write(intact)
    # The server's log says which it was.
    for name in flips:
        said = [line for line in log.splitlines()
                if f"sign-in refused for '{name}' from 127.0.0.1: the keyring slot of user \\x27{name}\\x27 is damaged (" in line]
        assert said, log
        # The whole sentence, with why, not cut at a name's length.
        for line in said:
            assert line.endswith(")"), line
    for line in told:
        assert log.count("brankas serve: " + line + "\n") == 1, (line, log)
    assert log.index("brankas serve: " + told[0]) < log.index("signed in 'admin'"), log


def check_heads(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    code, _, _ = op1.post("/accounts/1/checkout", {"reason": "unggah", "duration": "1h"}, token_from="/accounts/1")
    assert code == 303, code
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    before = b.audit_log()
    heads = (
        (op1, "/accounts/1/password", "GET"),  # the password waiting for its page
        (op1, "/accounts/2", "GET"),  # another sub-district's account: a GET records a refusal
        (op1, "/accounts/2/checklist", "GET, POST"),
        (op1, "/admin", "GET"),  # an admin's page: a GET by a custodian records a refusal
        (op1, "/admin/people", "GET, POST"),
        (op1, "/reports/exposure", "GET"),
        (op1, "/accounts", "GET"),
        (admin, "/audit/verify", "GET, POST"),
        (admin, "/admin/accounts/1", "GET"),
        (Browser(url), "/enroll", "GET, POST"),
        (Browser(url), "/language/en?next=/accounts", "GET"),
        (op1, "/accounts/1/checkout", "POST"),  # a form's address
        (Browser(url), "/accounts", "GET"),
    )
    for who, path, allow in heads:
        cookies = dict(who.cookies)
        code, headers, data = who.request("HEAD", path)
        assert (code, headers.get("allow"), data) == (405, allow, b""), (path, code, headers)
        assert "set-cookie" not in headers and who.cookies == cookies, (path, headers)
    # The two pages a visitor reaches first (what an uptime monitor probes) answer a HEAD as
    # their GET answers a visitor, with no body, no cookie and nothing run; signed in or not.
    for who in (Browser(url), op1, admin):
        for path in ("/sign-in", "/sign-in?next=/accounts", "/"):
            cookies = dict(who.cookies)
            code, headers, data = who.request("HEAD", path)
            got, got_headers, _ = Browser(url).get(path)
            assert (code, data) == (got, b""), (path, code, data)
            for name in ("location", "content-type", "cache-control", "content-security-policy", "x-frame-options"):
                assert headers.get(name) == got_headers.get(name), (path, name, headers, got_headers)
            assert "set-cookie" not in headers and who.cookies == cookies, (path, headers)
            assert "set-cookie" in got_headers or code == 303, (path, got_headers)
    assert Browser(url).request("HEAD", "/sign-in")[0] == 200
    assert Browser(url).request("HEAD", "/")[1]["location"] == "/accounts"
    assert b.audit_log() == before, [e["action"] for e in b.audit_log()[len(before):]]
    # The password still waits for its page, which shows it once.
    assert shown_password(op1.page("/accounts/1/password")) is not None
    assert op1.get("/accounts/1/password")[0] == 303
    code, _, _ = op1.post("/accounts/1/checkin", {}, token_from="/accounts/1")
    assert code == 303, code
    # The static files are the same for everyone and do nothing: a HEAD is answered as a GET.
    code, headers, data = Browser(url).request("HEAD", "/static/brankas.css")
    assert code == 200 and data == b"" and headers["content-type"].startswith("text/css"), (code, headers)


def check_hidden_marks(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    before = b.audit_log()
    # "Jetis" with a right-to-left override: printed, it reads "Jsite".
    code, _, data = admin.post("/admin/units", {"code": "35.02.03", "name": "J\u202etise"})
    page = data.decode()
    assert code == 400 and "U+202E" in page, (code, page[:3000])
    code, _, data = admin.post("/admin/handovers", {"unit": "35.02.01", "receiver": "op2", "note": "serah\u200bterima"})
    page = data.decode()
    assert code == 400 and "U+200B" in page, (code, page[:3000])
    assert b.audit_log() == before
    assert "35.02.03" not in b.run(["unit", "list"]).stdout


def check_old_session_ended(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    old = dict(op1.cookies)
    op1.sign_in("op1", OP1_PASSPHRASE)
    assert op1.cookies["brankas"] != old["brankas"]
    stale = Browser(url)
    stale.cookies = old
    code, headers, _ = stale.get("/accounts")
    assert code == 303 and headers["location"].startswith("/sign-in?ended=1"), (code, headers)
    # A form sent after its session ended (the account page left open past the idle timeout):
    # signing in again leads back to the page the form stood on, not to the account list.
    for path, page in (("/accounts/1/checkout", "/accounts/1"), ("/accounts/1/rotation/start", "/accounts/1/rotation"),
                       ("/admin/people/grant", "/admin/people"), ("/passphrase", "/passphrase")):
        code, headers, _ = stale.request("POST", path, {"csrf": "0" * 64, "reason": "rapat"})
        assert code == 303 and headers["location"] == "/sign-in?ended=1&next=" + urllib.parse.quote(page, safe=""), (path, code, headers)
    code, headers, _ = stale.request("POST", "/sign-out", {"csrf": "0" * 64})
    assert code == 303 and headers["location"] == "/sign-in?ended=1", (code, headers)
    again = Browser(url)
    page = again.page("/sign-in?ended=1&next=%2Faccounts%2F1")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    code, headers, _ = again.request("POST", "/sign-in", {"csrf": token, "name": "op1", "passphrase": OP1_PASSPHRASE,
                                                          "next": re.search(r'name="next" value="([^"]*)"', page).group(1)})
    assert code == 303 and headers["location"] == "/accounts/1", (code, headers)
    # Enrolling ends the session the browser had too.
    added = json.loads(b.run(["--json", "user", "add", "baru", "--role", "auditor"]).stdout)
    pp = "rumah-panggung-di-tepi-danau-toba-7"
    before = dict(op1.cookies)
    code, headers, _ = op1.post("/enroll", {"name": "baru", "code": added["enrollment_code"], "passphrase": pp, "repeat": pp})
    assert code == 303 and headers["location"] == "/accounts?done=enrolled", (code, headers)
    stale.cookies = before
    code, headers, _ = stale.get("/accounts")
    assert code == 303 and headers["location"].startswith("/sign-in?ended=1"), (code, headers)


def check_guesses_at_once(b):
    added = json.loads(b.run(["--json", "user", "add", "korban", "--role", "auditor"]).stdout)
    b.passphrases["korban"] = b.write("korban.pass", "kopi-tubruk-pagi-hari-di-pasar-99\n")
    b.run(["user", "enroll", "--code-file", b.write("korban.code", added["enrollment_code"] + "\n"), "--kdf", "interactive"], user="korban")
    server = harness.Server(b)
    try:
        visitor = Browser(server.url)
        page = visitor.page("/sign-in")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        statuses = []
        lock = threading.Lock()

        def guess(i):
            one = Browser(server.url)
            one.cookies = dict(visitor.cookies)
            code, _, _ = one.request("POST", "/sign-in", {"csrf": token, "name": "korban", "passphrase": f"tebakan-salah-{i:04d}"})
            with lock:
                statuses.append(code)

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        log = server.stop()
    tried = [line for line in log.splitlines() if "'korban'" in line and "wrong passphrase" in line]
    # One after another, the fourth failure makes the next try wait 2 s: a fifth is tried only
    # if the thirty took longer than that to arrive.
    assert len(tried) in (4, 5) and sorted(statuses) == [401] * len(tried) + [429] * (30 - len(tried)), (len(tried), sorted(statuses))


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-requests-")
    b = harness.Brankas(binary, work)
    passwords = harness.make_district(b)
    server = harness.Server(b)
    try:
        check_other_accounts_refused(b, server.url)
        admin = check_reveals(b, server.url, passwords)
        check_unknown_names(admin)
        check_old_session_ended(b, server.url)
        check_names_alike(b, server.url)
        check_heads(b, server.url)
        check_library_refusals(server.url)
        check_unknown_address_framed(server.url)
        check_form_address_opened(b, server.url)
        check_hidden_marks(b, server.url)
        check_other_handovers_untold(b, server.url)
    finally:
        server.stop()
    check_bodies(b)
    check_damaged_slots(b)
    check_guesses_at_once(b)
    assert b.run(["audit", "verify"]).returncode == 0
    shutil.rmtree(work, ignore_errors=True)
    print("requests: every refusal as the pages say it, nothing told, nothing done: ok")


if __name__ == "__main__":
    main()
