#!/usr/bin/python3
"""What a request cannot make the browser face tell or do, over plain HTTP:

* a custodian who posts to an account route of another sub-district (check-out, check-in,
  checklist, rotation) is refused as the account's page refuses them: 403, an access.denied
  event, nothing else done and the account not named, whoever holds it.

usage: requests_test.py BRANKAS_BINARY
"""

import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser  # noqa: E402

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


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-requests-")
    b = harness.Brankas(binary, work)
    harness.make_district(b)
    server = harness.Server(b)
    try:
        check_other_accounts_refused(b, server.url)
    finally:
        server.stop()
    assert b.run(["audit", "verify"]).returncode == 0
    shutil.rmtree(work, ignore_errors=True)
    print("requests: every refusal as the pages say it, nothing told, nothing done: ok")


if __name__ == "__main__":
    main()
