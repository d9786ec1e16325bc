#!/usr/bin/python3
"""What a request cannot make the browser face tell or do, over plain HTTP:

* a custodian who posts to an account route of another sub-district (check-out, check-in,
  checklist, rotation) is refused as the account's page refuses them: 403, an access.denied
  event, nothing else done and the account not named, whoever holds it;
* HEAD of the page that shows a checked-out password shows nothing and leaves it for the GET;
  two check-outs in one session each show their password once.

usage: requests_test.py BRANKAS_BINARY
"""

import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, unescape  # noqa: E402

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


def check_reveals(b, url, passwords):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    code, _, _ = op1.post("/accounts/1/checkout", {"reason": "unggah", "duration": "1h"}, token_from="/accounts/1")
    assert code == 303, code
    code, _, data = op1.request("HEAD", "/accounts/1/password")
    assert data == b"" and code != 200, code
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


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-requests-")
    b = harness.Brankas(binary, work)
    passwords = harness.make_district(b)
    server = harness.Server(b)
    try:
        check_other_accounts_refused(b, server.url)
        admin = check_reveals(b, server.url, passwords)
    finally:
        server.stop()
    assert b.run(["audit", "verify"]).returncode == 0
    shutil.rmtree(work, ignore_errors=True)
    print("requests: every refusal as the pages say it, nothing told, nothing done: ok")


if __name__ == "__main__":
    main()
