#!/usr/bin/python3
"""The pages of the browser face's second part, driven over HTTP as a browser sends them (cookies,
the forms' CSRF tokens), each checked against the command line on the same vault:

* an auditor downloads the audit log as CSV and as JSON Lines: the bytes of `brankas audit log
  --csv` and `--jsonl` with the same filters; a custodian asking for another sub-district's
  access report gets 403 and an access.denied event; the reports (access, exposure, status, handovers) show what they list;
* the account list says whose accounts they are (a custodian's own, every sub-district's for an
  auditor, who checks none out); an auditor's account page offers no check-out, check-in or password change (the role may never
  take them: each could only be refused and recorded in the auditor's name) and says why, while a
  custodian's offers them; the engine still refuses a check-out posted by hand, and the password
  change's page opened by its address is refused as an admin's page is (403, access.denied);
* every page of the signed-in carries their menu (what they may open) inside one <nav class="menu">, named;
* `audit verify` runs off the request, the page shows its progress, then that the vault verifies;
* a new person enrolls with their one-time code (a short passphrase is refused as at the CLI),
  is signed in, changes their passphrase (the wrong current one is refused), and the CLI then
  opens the vault with the new passphrase only;
* a custodian starts a password change, sees the pending password once, confirms it, and the
  CLI's `secret show` prints that password; another sub-district's rotation page is 403;
* an admin stores a typed password, then a generated one, for an account with a TOTP seed: each
  new version keeps the seed (the form asks for the password only), and the custodian's
  check-out still shows the code;
* an account the admin adds with a mistake (a handle the platform would not take, one that
  exists already) is refused above the same form, filled in as it was sent, and nothing is added;
  so are an account's details the admin edits with a mistake, and a custodian's check-out whose
  reason is longer than the vault takes (the reason and the length chosen kept), the admin's new
  password (its reason kept, the two password fields left empty, the page saying why) or generated
  one (its length and reason kept), and a custodian's rotation step (its reason kept);
* the longest forms a browser lets a person fill (the account's, the new password's: every field
  at its maxlength in a script whose letters are 3 bytes, 9 percent-encoded) are read whole and
  answered with the vault's sentence, not 413;
* a handover the admin starts that cannot start (its receiver holds the sub-district already) is
  refused above the same form, with the note for the minutes as it was typed;
* a term that ends before it starts, a sub-district whose code is no region code and a person
  whose name is no user name are each refused above the same form, filled in as it was sent;
* eight tabs of one person ask for pages at once while the same person checks out and in:
  every page is whole, and the log holds the check-out and the check-in once each;
* an admin's re-key (`user disable --rekey`) ends every open session: each one's next page is
  the sign-in page saying why, and signing in again works.

usage: pages_test.py BRANKAS_BINARY
"""

import csv
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Browser:
    """One person's browser: its cookies, and the CSRF token of the last form it was shown."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {}

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def get(self, path):
        return self.request("GET", path)

    def page(self, path, status=200):
        code, headers, data = self.get(path)
        text = data.decode("utf-8")
        assert code == status, (path, code, text[:2000])
        return text

    def post(self, path, form, token_from=None):
        """Posts `form` with the CSRF token of the page `token_from` (default: `path`)."""
        text = self.page(token_from or path)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', text).group(1)
        return self.request("POST", path, dict(form, csrf=token))

    def sign_in(self, name, passphrase):
        code, headers, _ = self.post("/sign-in", {"name": name, "passphrase": passphrase, "next": "/accounts"})
        assert code == 303 and headers["location"] == "/accounts", (code, headers)


def text_of(html, element_id):
    m = re.search(r'id="' + re.escape(element_id) + r'"[^>]*>(.*?)</', html, re.S)
    assert m, (element_id, html[:3000])
    return m.group(1).strip()


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


def cli_bytes(b, args, user):
    """What the CLI writes to stdout, byte for byte (text mode would turn CSV's CRLF into LF)."""
    env = dict(b.env, BRANKAS_PASSPHRASE_FILE=b.passphrases[user])
    done = subprocess.run([b.binary, "--vault", b.vault, "--user", user] + args, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_audit_downloads(b, url):
    b.enroll("audra", "catatan-pengawas-yang-teliti-2029", ["--role", "auditor"])
    auditor = Browser(url)
    auditor.sign_in("audra", "catatan-pengawas-yang-teliti-2029")
    page = auditor.page("/audit")
    assert "Log audit" in page, page[:2000]
    assert "account.add" in page and "secret.set" in page
    for query, args in (("", []), ("?unit=35.02.01", ["--unit", "35.02.01"]),
                        ("?actor=admin&action=account.add", ["--actor", "admin", "--action", "account.add"])):
        cli_csv = cli_bytes(b, ["audit", "log", "--csv"] + args, "audra")
        code, headers, data = auditor.get("/audit/log.csv" + query)
        assert code == 200 and headers["content-type"].startswith("text/csv"), (code, headers)
        assert "attachment" in headers["content-disposition"], headers
        assert data == cli_csv, (query, data[:500], cli_csv[:500])
        assert len(list(csv.reader(io.StringIO(data.decode("utf-8"))))) > 1, data
        cli_jsonl = cli_bytes(b, ["audit", "log", "--jsonl"] + args, "audra")
        code, _, data = auditor.get("/audit/log.jsonl" + query)
        assert code == 200 and data == cli_jsonl, (query, data[:500], cli_jsonl[:500])
    # The page's filter narrows the table the same way.
    filtered = auditor.page("/audit?unit=35.02.02")
    assert "panwascam.babadan" in filtered and "panwascam.ponorogo" not in filtered, filtered
    # A date the page cannot read is a sentence, not an error page without one.
    code, _, data = auditor.get("/audit?since=kemarin")
    assert code == 400 and "kemarin" in data.decode(), (code, data[:500])

    # Reports.
    access = auditor.page("/reports/access")
    assert "Laporan akses" in access, access[:1500]
    status = auditor.page("/reports/status")
    assert "35.02.01" in status and "35.02.02" in status, status[:3000]
    exposure = auditor.page("/reports/exposure?person=op1")
    assert "instagram/panwascam.ponorogo" in exposure, exposure[:3000]
    assert "Serah terima" in auditor.page("/reports/handovers")
    # An auditor reads no password: the check-out is refused by the engine.
    return auditor


def check_auditor_offered_nothing(b, url, auditor):
    op1 = Browser(url)
    op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    theirs = op1.page("/accounts/1")
    assert 'id="checkout-form"' in theirs and 'id="to-rotation"' in theirs and 'id="auditor"' not in theirs, theirs[:3000]
    # The list says whose accounts they are and what each role does there.
    intros = {who: re.search(r'<p class="intro">(.*?)</p>', browser.page("/accounts")).group(1) for who, browser in (("op1", op1), ("auditor", auditor))}
    assert intros["op1"] == "Akun kecamatan Anda. Buka salah satu untuk meminjam kata sandinya.", intros
    assert intros["auditor"] == "Akun semua kecamatan. Buka salah satu untuk membaca rincian dan riwayatnya: auditor tidak meminjam kata sandi.", intros
    page = auditor.page("/accounts/1")
    for offered in ('id="checkout-form"', 'id="checkin"', 'id="to-rotation"', 'id="break-glass"'):
        assert offered not in page, (offered, page[:3000])
    assert "tidak pernah kata sandinya" in text_of(page, "auditor"), page[:3000]
    # Held by someone else: no check-in either.
    code, _, _ = op1.post("/accounts/1/checkout", {"reason": "unggah", "duration": "1h"}, token_from="/accounts/1")
    assert code == 303, code
    op1.page("/accounts/1/password")
    page = auditor.page("/accounts/1")
    assert 'id="hold"' in page and 'id="checkin"' not in page, page[:3000]
    assert op1.post("/accounts/1/checkin", {}, token_from="/accounts/1")[0] == 303
    before = len(b.audit_log())
    code, _, _ = auditor.post("/accounts/1/checkout", {"reason": "periksa", "duration": "1h"}, token_from="/accounts/1")
    assert code == 403, code
    assert [e["action"] for e in b.audit_log()[before:]] == ["access.denied"]
    # Nor the password change's page, opened by its address: refused as an admin's page is.
    code, _, admin_page = auditor.get("/admin")
    assert code == 403, code
    before = len(b.audit_log())
    code, _, data = auditor.get("/accounts/1/rotation")
    page = data.decode("utf-8")
    assert code == 403 and text_of(page, "heading") == text_of(admin_page.decode("utf-8"), "heading") == "Tidak diizinkan", (code, page[:3000])
    assert "/rotation/start" not in page, page[:3000]
    assert [(e["action"], e["target"]) for e in b.audit_log()[before:]] == [("access.denied", "account/1")], b.audit_log()[before:]


def check_menu(url, auditor):
    op1 = Browser(url)
    op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    for browser, links in ((op1, ["/accounts", "/audit", "/reports/access?unit=35.02.01", "/audit/verify", "/handovers/to-accept", "/people",
                                  "/approvals", "/passphrase"]),
                           (auditor, ["/accounts", "/audit", "/reports/status", "/audit/verify", "/handovers/to-witness", "/people",
                                      "/approvals", "/passphrase"])):
        for path in ("/accounts", "/approvals"):
            page = browser.page(path)
            nav = re.search(r'<nav class="menu" id="menu" aria-label="Menu">(.*?)</nav>', page, re.S)
            assert nav, (path, page[:3000])
            assert re.findall(r'<a href="([^"]+)" id="menu-', nav.group(1)) == links, (path, nav.group(1))
            assert len(re.findall(r'id="menu-', page)) == len(links), path


def check_custodian_refused(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    before = len(b.audit_log())
    # Every role may read the log (every role holds the store key); who read which password is
    # history, which the engine gives a custodian for their own sub-district only.
    code, _, data = op1.get("/reports/access?unit=35.02.02")
    assert code == 403, (code, data[:500])
    code, _, data = op1.get("/reports/exposure?person=op2")
    assert code == 403, (code, data[:300])
    log = b.audit_log()
    denied = [e for e in log[before:] if e["action"] == "access.denied" and e["actor"] == "op1"]
    assert len(denied) == 2, log[before:]
    return op1


def check_verify(auditor):
    code, headers, _ = auditor.post("/audit/verify", {})
    assert code == 303 and headers["location"] == "/audit/verify", (code, headers)
    deadline = time.monotonic() + 60
    seen_progress = False
    while time.monotonic() < deadline:
        page = auditor.page("/audit/verify")
        if 'id="progress"' in page:
            seen_progress = True
            assert 'http-equiv="refresh"' in page
            time.sleep(0.2)
            continue
        result = unescape(text_of(page, "result"))
        assert result.startswith("Brankas terverifikasi"), result
        return seen_progress
    raise AssertionError("the verification did not end")


def check_enroll_and_passphrase(b, url):
    added = json.loads(b.run(["--json", "user", "add", "wati", "--role", "custodian", "--unit", "35.02.01",
                              "--kdf", "test"]).stdout)
    code_text = added["enrollment_code"]
    person = Browser(url)
    page = person.page("/enroll")
    assert "Kode pendaftaran" in page, page[:1500]
    # Too short: the vault's own rule, as at the command line.
    code, _, data = person.post("/enroll", {"name": "wati", "code": code_text, "passphrase": "pendek", "repeat": "pendek"})
    assert code == 400 and 'id="problem"' in data.decode(), (code, data[:800])
    # Typed differently twice.
    code, _, data = person.post("/enroll", {"name": "wati", "code": code_text, "passphrase": "a" * 20, "repeat": "b" * 20})
    assert code == 400, code
    # A wrong code.
    code, _, data = person.post("/enroll", {"name": "wati", "code": "SALAH-SALAH-SALAH", "passphrase": "bunga-melati-di-pagar-desa-81",
                                         "repeat": "bunga-melati-di-pagar-desa-81"})
    # Not a code at all: the vault's sentence, in the page's language (Indonesian here), and nobody is signed in.
    assert code == 400 and text_of(data.decode(), "problem") == "itu bukan kode pendaftaran", (code, text_of(data.decode(), "problem"))
    assert person.get("/accounts")[0] == 303
    code, headers, _ = person.post("/enroll", {"name": "wati", "code": code_text, "passphrase": "bunga-melati-di-pagar-desa-81",
                                               "repeat": "bunga-melati-di-pagar-desa-81"})
    assert code == 303 and headers["location"].startswith("/accounts"), (code, headers)
    accounts = person.page("/accounts?done=enrolled")
    assert "panwascam.ponorogo" in accounts and "panwascam.babadan" not in accounts, accounts[:2000]

    # Change it: the current one must be right.
    code, _, _ = person.post("/passphrase", {"current": "bukan-itu-sandinya-123", "passphrase": "gunung-kelud-pagi-hari-2031",
                                             "repeat": "gunung-kelud-pagi-hari-2031"})
    assert code == 401, code
    # Signed in elsewhere too (the usual reason to change it: someone else may know the old one).
    elsewhere = Browser(url)
    elsewhere.sign_in("wati", "bunga-melati-di-pagar-desa-81")
    code, headers, _ = person.post("/passphrase", {"current": "bunga-melati-di-pagar-desa-81",
                                                   "passphrase": "gunung-kelud-pagi-hari-2031", "repeat": "gunung-kelud-pagi-hari-2031"})
    assert code == 303 and headers["location"] == "/passphrase?done=1", (code, headers)
    # The session that changed it goes on; the other one is over.
    assert "panwascam.ponorogo" in person.page("/accounts")
    code, headers, _ = elsewhere.get("/accounts")
    assert code == 303 and headers["location"].startswith("/sign-in?ended=1"), (code, headers)
    b.passphrases["wati"] = b.write("wati.pass", "bunga-melati-di-pagar-desa-81\n")
    old = b.run(["account", "list"], user="wati", check=False)
    assert old.returncode != 0 and "passphrase" in old.stderr, (old.returncode, old.stderr)
    b.passphrases["wati"] = b.write("wati.pass", "gunung-kelud-pagi-hari-2031\n")
    b.run(["account", "list"], user="wati")
    actions = [e["action"] for e in b.audit_log() if e["actor"] == "wati"]
    assert "user.enroll" in actions, actions


def check_admin_password_keeps_totp(b, url, op1):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    mine = harness.account_id(b, "instagram/panwascam.ponorogo")
    for path, form in ((f"/admin/accounts/{mine}/password",
                        {"password": "Sandi-baru-dari-platform-77", "password_again": "Sandi-baru-dari-platform-77",
                         "reason": "diganti di platform"}),
                       (f"/admin/accounts/{mine}/generate", {"length": "24", "reason": "dibuat brankas"})):
        code, headers, _ = admin.post(path, form, token_from=f"/admin/accounts/{mine}")
        assert code == 303, (path, code)
        versions = json.loads(b.run(["--json", "secret", "history", "instagram/panwascam.ponorogo"]).stdout)
        assert versions[-1]["current"] and versions[-1]["totp"], versions
    code, headers, _ = op1.post(f"/accounts/{mine}/checkout", {"reason": "unggah", "duration": "1h"}, token_from=f"/accounts/{mine}")
    assert code == 303, code
    page = op1.page(f"/accounts/{mine}/password")
    assert re.fullmatch(r"[0-9]{6}", text_of(page, "totp")), page[:3000]
    code, _, _ = op1.post(f"/accounts/{mine}/checkin", {}, token_from=f"/accounts/{mine}")
    assert code == 303, code


def check_add_account_kept(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    before = len(json.loads(b.run(["--json", "account", "list"]).stdout))
    # What is wrong with a handle is said as at the command line: the character, or where the spaces are.
    for platform, handle, status, said in (("instagram", "panwascam babadan", 400,
                                            "bukan nama akun di instagram: karakter ke-10 (U+0020) tidak boleh ada dalam nama akun"),
                                           ("youtube", "Panwascam  Babadan", 400,
                                            "bukan nama akun di youtube: karakter ke-10 dan ke-11 adalah dua spasi berturut-turut"),
                                           ("facebook", "panwascam.babadan", 409, "sudah ada")):
        sent = {"unit": "35.02.02", "platform": platform, "handle": handle, "email": "humas.babadan@example.org",
                "phone": "+6281234567890", "url": "https://www.facebook.com/panwascam.babadan"}
        code, _, data = admin.post("/admin/accounts", sent, token_from="/admin/accounts")
        page = data.decode()
        assert code == status, (handle, code, page[:3000])
        assert said in unescape(text_of(page, "problem")), page[:3000]
        form = re.search(r'<form method="post" action="/admin/accounts".*?</form>', page, re.S).group(0)
        assert '<option value="35.02.02" selected>' in form and f'<option value="{platform}" selected>' in form, form
        for name in ("handle", "email", "phone", "url"):
            shown = re.search(r'<input id="' + name + r'" name="' + name + r'"[^>]* value="([^"]*)"', form)
            assert shown and unescape(shown.group(1)) == sent[name], (name, form)
    assert len(json.loads(b.run(["--json", "account", "list"]).stdout)) == before


def check_edit_and_checkout_kept(b, url, op1):
    """The admin's details form and a custodian's check-out, refused by the vault, come back filled
    in as they were sent, below the vault's sentence; nothing is changed or checked out."""
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    babadan = harness.account_id(b, "facebook/panwascam.babadan")
    before = json.loads(b.run(["--json", "account", "show", "facebook/panwascam.babadan"]).stdout)
    sent = {"platform": "instagram", "handle": "panwascam babadan", "email": "humas.babadan@example.org",
            "phone": "+62 812-3456-7890", "url": "https://example.org/<babadan>"}
    code, _, data = admin.post(f"/admin/accounts/{babadan}/edit", sent, token_from=f"/admin/accounts/{babadan}")
    page = data.decode()
    assert code == 400 and "bukan nama akun" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/admin/accounts/\d+/edit".*?</form>', page, re.S).group(0)
    assert '<option value="instagram" selected>' in form, form
    for name in ("handle", "email", "phone", "url"):
        shown = re.search(r'<input id="' + name + r'" name="' + name + r'"[^>]* value="([^"]*)"', form)
        assert shown and unescape(shown.group(1)) == sent[name], (name, form)
    assert json.loads(b.run(["--json", "account", "show", "facebook/panwascam.babadan"]).stdout) == before

    mine = harness.account_id(b, "instagram/panwascam.ponorogo")
    reason = "Unggah materi sosialisasi <Pilkada> & \"debat\" " + "panjang " * 60
    before = len(b.audit_log())
    code, _, data = op1.post(f"/accounts/{mine}/checkout", {"reason": reason, "duration": "2h"}, token_from=f"/accounts/{mine}")
    page = data.decode()
    assert code == 400 and "alasan paling panjang 500 bita" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/accounts/\d+/checkout" class="stack" id="checkout-form">.*?</form>', page, re.S).group(0)
    assert unescape(re.search(r'<input id="reason" name="reason" value="([^"]*)"', form).group(1)) == reason, form
    assert '<option value="2h" selected>' in form and form.count(" selected>") == 1, form
    assert [e["action"] for e in b.audit_log()[before:]] == [], b.audit_log()[before:]


def form_of(page, action):
    m = re.search(r'<form method="post" action="' + re.escape(action) + r'".*?</form>', page, re.S)
    assert m, (action, page[:3000])
    return m.group(0)


def value_of(form, element_id):
    m = re.search(r'<input id="' + re.escape(element_id) + r'"[^>]*>', form)
    assert m, (element_id, form)
    v = re.search(r' value="([^"]*)"', m.group(0))
    return unescape(v.group(1)) if v else None


def check_password_forms_kept(b, url):
    """The admin's new-password forms, refused, come back with the vault's sentence, the reason and
    the length as sent; the typed password is never put back into the page."""
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    babadan = harness.account_id(b, "facebook/panwascam.babadan")
    # Labels in the words the rest of the page uses ("Surel untuk masuk", not half English).
    assert '<label for="phone">Nomor HP untuk masuk</label>' in admin.page(f"/admin/accounts/{babadan}")
    assert "sekaligus ganti kunci penyimpanan" in admin.page("/admin/people")
    versions = b.run(["--json", "secret", "history", "facebook/panwascam.babadan"]).stdout
    before = len(b.audit_log())
    reason = "Diganti karena <bocor> & \"dibagikan\"" + " panjang" * 60
    action = f"/admin/accounts/{babadan}/password"
    for typed, again, said in (("Sandi-baru-babadan-9182", "Sandi-baru-babadan-9183", "tidak sama"),
                               ("Sandi-baru-babadan-9182", "Sandi-baru-babadan-9182", "500 bita")):
        code, _, data = admin.post(action, {"password": typed, "password_again": again, "reason": reason},
                                   token_from=f"/admin/accounts/{babadan}")
        page = data.decode()
        assert code == 400 and said in unescape(text_of(page, "problem")), (code, page[:3000])
        form = form_of(page, action)
        assert 'id="problem"' in form and 'id="type-again"' in form, form
        assert value_of(form, "password-reason") == reason, form
        assert value_of(form, "password") is None and value_of(form, "password_again") is None, form
        assert "Sandi-baru-babadan" not in page
    action = f"/admin/accounts/{babadan}/generate"
    for length, said in (("7", "bukan 7"), ("24", "500 bita")):
        code, _, data = admin.post(action, {"length": length, "reason": reason}, token_from=f"/admin/accounts/{babadan}")
        page = data.decode()
        assert code == 400 and said in unescape(text_of(page, "problem")), (code, page[:3000])
        form = form_of(page, action)
        assert 'id="problem"' in form and value_of(form, "length") == length and value_of(form, "generate-reason") == reason, form
    assert b.run(["--json", "secret", "history", "facebook/panwascam.babadan"]).stdout == versions
    assert [e["action"] for e in b.audit_log()[before:]] == [], b.audit_log()[before:]


def check_largest_forms_read(b, url):
    """The longest forms a browser lets a person fill (every field at its maxlength, in a script
    whose letters take 3 bytes, percent-encoded as 9) are read whole: the vault's sentence above
    the form, never the server's 413."""
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    babadan = harness.account_id(b, "facebook/panwascam.babadan")
    ka = "\ua98f"  # a Javanese letter: 3 bytes in UTF-8
    sent = {"unit": "35.02.02", "platform": "instagram", "handle": ka * 100, "email": ka * 254, "phone": ka * 32, "url": ka * 2000}
    assert len(urllib.parse.urlencode(sent)) > 16 * 1024
    for action in ("/admin/accounts", f"/admin/accounts/{babadan}/edit"):
        code, _, data = admin.post(action, sent, token_from="/admin/accounts" if action == "/admin/accounts" else f"/admin/accounts/{babadan}")
        page = data.decode()
        assert code == 400 and "bukan nama akun" in unescape(text_of(page, "problem")), (action, code, page[:2000])
        assert unescape(re.search(r'<input id="url" name="url"[^>]* value="([^"]*)"', form_of(page, action)).group(1)) == sent["url"]
    typed = {"password": ka * 1024, "password_again": ka * 1024, "reason": ka * 1000}
    assert len(urllib.parse.urlencode(typed)) > 27000
    code, _, data = admin.post(f"/admin/accounts/{babadan}/password", typed, token_from=f"/admin/accounts/{babadan}")
    page = data.decode()
    assert code == 400 and "500 bita" in unescape(text_of(page, "problem")), (code, page[:2000])
    assert ka * 1024 not in page


def check_start_handover_kept(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    note = "Pergantian tim: Ibu Sri ke Bapak Joko, disaksikan <camat> & \"sekretaris\""
    code, _, data = admin.post("/admin/handovers", {"unit": "35.02.01", "receiver": "op1", "witness": "admin", "note": note})
    page = data.decode()
    assert code == 409 and "sudah memegang" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/admin/handovers".*?</form>', page, re.S).group(0)
    for chosen in ('<option value="35.02.01" selected>', '<option value="op1" selected>', '<option value="admin" selected>'):
        assert chosen in form, (chosen, form)
    assert unescape(re.search(r'<input id="note" name="note" value="([^"]*)"', form).group(1)) == note, form
    assert json.loads(b.run(["--json", "handover", "list"]).stdout) == []


def check_add_term_kept(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    sent = {"name": "Pilkada Serentak 2029", "start": "2029-09-01", "end": "2029-03-31", "units": "35.02.01, 35.02.02"}
    code, _, data = admin.post("/admin/terms", sent)
    page = data.decode()
    assert code == 400 and "berakhir sesudah dimulai" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/admin/terms" class="stack" id="add-term">.*?</form>', page, re.S).group(0)
    for name, value in sent.items():
        shown = re.search(r'<input id="' + name + r'" name="' + name + r'"[^>]* value="([^"]*)"', form)
        assert shown and unescape(shown.group(1)) == value, (name, form)
    assert "Pilkada" not in b.run(["term", "list"]).stdout


def check_unit_and_person_kept(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    code, _, data = admin.post("/admin/units", {"code": "35.02", "name": "Jenangan"})
    page = data.decode()
    assert code == 400 and "bukan kode wilayah" in unescape(text_of(page, "problem")), (code, page[:3000])
    assert '<input id="code" name="code" value="35.02"' in page and '<input id="name" name="name" value="Jenangan"' in page, page[:4000]
    code, _, data = admin.post("/admin/people", {"name": "Siti Aminah", "role": "auditor", "unit": "35.02.02"})
    page = data.decode()
    assert code == 400 and "bukan nama pengguna" in unescape(text_of(page, "problem")), (code, page[:3000])
    form = re.search(r'<form method="post" action="/admin/people" class="stack" id="add-person">.*?</form>', page, re.S).group(0)
    assert 'value="Siti Aminah"' in form and '<option value="auditor" selected>' in form and '<option value="35.02.02" selected>' in form, form
    assert "Jenangan" not in b.run(["unit", "list"]).stdout and "Siti" not in b.run(["user", "list"]).stdout


def check_rotation(b, url, op1):
    mine = harness.account_id(b, "instagram/panwascam.ponorogo")
    theirs = harness.account_id(b, "facebook/panwascam.babadan")
    code, _, _ = op1.get(f"/accounts/{theirs}/rotation")
    assert code == 403, code
    # A new password is shown, so like every reveal it is taken for a reason.
    code, _, _ = op1.post(f"/accounts/{mine}/rotation/start", {"reason": "   "}, token_from=f"/accounts/{mine}/rotation")
    assert code == 400, code
    # A reason the vault does not take comes back in the same form, as typed.
    long_reason = "Ganti berkala <triwulan> & \"audit\" " + "panjang " * 60
    for path in ("start", "show"):
        if path == "show":
            code, _, _ = op1.post(f"/accounts/{mine}/rotation/start", {"reason": "ganti berkala"}, token_from=f"/accounts/{mine}/rotation")
            assert code == 200, code
        before = len(b.audit_log())
        code, _, data = op1.post(f"/accounts/{mine}/rotation/{path}", {"reason": long_reason}, token_from=f"/accounts/{mine}/rotation")
        page = data.decode()
        assert code == 400 and "500 bita" in unescape(text_of(page, "problem")), (path, code, page[:3000])
        form = form_of(page, f"/accounts/{mine}/rotation/{path}")
        assert 'id="problem"' in form and value_of(form, "start-reason" if path == "start" else "reason") == long_reason, form
        assert 'id="password"' not in page, page[:3000]
        assert [e["action"] for e in b.audit_log()[before:]] == [], b.audit_log()[before:]
    code, _, _ = op1.post(f"/accounts/{mine}/rotation/abort", {}, token_from=f"/accounts/{mine}/rotation")
    assert code == 303, code
    code, headers, data = op1.post(f"/accounts/{mine}/rotation/start", {"reason": "ganti berkala"},
                                   token_from=f"/accounts/{mine}/rotation")
    assert code == 200 and headers.get("cache-control") == "no-store", (code, headers)
    shown = unescape(text_of(data.decode(), "password"))
    assert len(shown) == 20, shown
    # Asked for again (an event each time), the same pending password.
    code, _, data = op1.post(f"/accounts/{mine}/rotation/show", {"reason": "lupa menyalin"}, token_from=f"/accounts/{mine}/rotation")
    assert code == 200 and unescape(text_of(data.decode(), "password")) == shown
    code, headers, _ = op1.post(f"/accounts/{mine}/rotation/confirm", {}, token_from=f"/accounts/{mine}/rotation")
    assert code == 303 and headers["location"].endswith("done=confirmed"), (code, headers)
    now = b.run(["secret", "show", "instagram/panwascam.ponorogo", "--reason", "memeriksa rotasi"]).stdout.strip()
    assert now == shown, (now, shown)
    page = op1.page(f"/accounts/{mine}/checklist")
    assert 'id="no-checklist"' in page, page[:1500]


def check_one_person_at_once(b, url, op1):
    """Eight tabs of one person ask for pages at once, beside that person's check-out and
    check-in in another: every page whole and right, each event recorded once."""
    mine = harness.account_id(b, "instagram/panwascam.ponorogo")
    failures = []

    def tab():
        browser = Browser(url)
        browser.cookies = dict(op1.cookies)
        for path in ("/accounts", f"/accounts/{mine}") * 4:
            code, _, data = browser.get(path)
            if code != 200 or "panwascam.ponorogo" not in data.decode("utf-8"):
                failures.append((path, code))

    tabs = [threading.Thread(target=tab) for _ in range(8)]
    before = len(b.audit_log())
    for t in tabs:
        t.start()
    code, headers, _ = op1.post(f"/accounts/{mine}/checkout", {"reason": "unggah materi", "duration": "1h"}, token_from=f"/accounts/{mine}")
    assert code == 303 and headers["location"] == f"/accounts/{mine}/password", (code, headers)
    code, _, data = op1.get(f"/accounts/{mine}/password")
    assert code == 200, code
    shown = unescape(text_of(data.decode(), "password"))
    code, _, _ = op1.post(f"/accounts/{mine}/checkin", {}, token_from=f"/accounts/{mine}")
    assert code == 303, code
    for t in tabs:
        t.join()
    assert failures == [], failures
    assert [(e["action"], e["actor"]) for e in b.audit_log()[before:]] == [("checkout", "op1"), ("checkin", "op1")], b.audit_log()[before:]
    assert shown == b.run(["secret", "show", "instagram/panwascam.ponorogo", "--reason", "memeriksa"]).stdout.strip()


def check_rekey_ends_sessions(b, url, sessions):
    for s in sessions:
        s.page("/accounts")
    b.run(["user", "disable", "op2", "--rekey"])
    for s in sessions:
        code, headers, _ = s.get("/accounts")
        assert code == 303 and headers["location"] == "/sign-in?ended=store", (code, headers)
        page = s.page("/sign-in?ended=store")
        assert "Kunci brankas telah diganti oleh admin" in page, page[:1500]
    # Signing in again reads the new key.
    again = Browser(url)
    again.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    assert "panwascam.ponorogo" in again.page("/accounts")


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-pages-")
    b = harness.Brankas(binary, work)
    harness.make_district(b)
    server = harness.Server(b)
    try:
        auditor = check_audit_downloads(b, server.url)
        check_auditor_offered_nothing(b, server.url, auditor)
        check_menu(server.url, auditor)
        op1 = check_custodian_refused(b, server.url)
        check_verify(auditor)
        check_enroll_and_passphrase(b, server.url)
        check_rotation(b, server.url, op1)
        check_add_account_kept(b, server.url)
        check_edit_and_checkout_kept(b, server.url, op1)
        check_password_forms_kept(b, server.url)
        check_largest_forms_read(b, server.url)
        check_start_handover_kept(b, server.url)
        check_add_term_kept(b, server.url)
        check_unit_and_person_kept(b, server.url)
        check_admin_password_keeps_totp(b, server.url, op1)
        check_one_person_at_once(b, server.url, op1)
        check_rekey_ends_sessions(b, server.url, [auditor, op1])
        assert b.run(["audit", "verify"]).returncode == 0
    finally:
        log = server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for secret in ("kebun-teh-gunung-wilis-2029", "bunga-melati-di-pagar-desa-81", "gunung-kelud-pagi-hari-2031"):
        assert secret not in log, "a passphrase reached the server's log"
    print("pages: audit downloads equal the CLI's, verify, enroll, passphrase, rotation, re-key: ok")


if __name__ == "__main__":
    main()
