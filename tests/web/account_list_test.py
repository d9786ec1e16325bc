#!/usr/bin/python3
"""The account list in the browser pages through the vault's streaming listing: at most 100
accounts a page, in the order of `brankas account list`, a link to the next page only while there
is one; a page past the end says so (not that there are no accounts) and links to the last one; a custodian's pages hold only their sub-district's accounts, however many others there are; each
sub-district's heading names it beside its code, on the admin's list too. The admin's first page
names the first 100 accounts owing a new password and says how many there are.

usage: account_list_test.py BRANKAS_BINARY
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
from pages_test import Browser  # noqa: E402

OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"


def accounts_on(page):
    return [int(n) for n in re.findall(r'<a class="ref" href="/accounts/(\d+)">', page)]


def headings(page):
    """The sub-districts' headings of a list page, as a person reads them."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<section class="unit">\s*<h2>(.*?)</h2>', page, re.S)]


def walk(browser):
    """Every page of the list, following its 'next' link; the accounts in the order shown."""
    seen, path, pages = [], "/accounts", 0
    while path:
        page = browser.page(path)
        on_page = accounts_on(page)
        assert len(on_page) <= 100, (path, len(on_page))
        seen += on_page
        pages += 1
        later = re.search(r'<a href="(/accounts\?page=\d+)" id="later">', page)
        if later:
            assert len(on_page) == 100, (path, len(on_page))
        path = later.group(1) if later else None
    return seen, pages


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-list-")
    b = harness.Brankas(binary, work)
    b.run(["init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"])
    rows = ["kode,kecamatan,platform,username,password"]
    for i in range(130):
        rows.append(f"35.02.01,Ponorogo,instagram,panwascam.ponorogo{i:03d},sandi-ponorogo-{i:03d}-xyz")
    for i in range(95):
        rows.append(f"35.02.02,Babadan,facebook,panwascam.babadan{i:03d},sandi-babadan-{i:03d}-xyz")
    b.run(["import", "csv", b.write("akun.csv", "\n".join(rows) + "\n"), "--create-units"])
    b.enroll("op1", OP1_PASSPHRASE, ["--role", "custodian", "--unit", "35.02.01"])
    everything = [a["id"] for a in json.loads(b.run(["--json", "account", "list"]).stdout)]
    assert len(everything) == 225, len(everything)
    ponorogo = [a["id"] for a in json.loads(b.run(["--json", "account", "list", "--unit", "35.02.01"]).stdout)]
    # Every password older than the policy allows: the enforcer's run (an admin's here) marks all
    # of them for a change.
    b.run(["policy", "set", b.write("age.toml", '[rotation]\nmax_password_age = "1s"\n')])
    time.sleep(1.1)
    b.run(["enforce"])
    due = json.loads(b.run(["--json", "status"]).stdout)["rotation_due"]
    assert len(due) == 225, len(due)
    server = harness.Server(b)
    try:
        admin = Browser(server.url)
        admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
        seen, pages = walk(admin)
        assert seen == everything and pages == 3, (pages, len(seen))
        # The first page has no 'previous' link; a later one does.
        assert 'id="earlier"' not in admin.page("/accounts") and 'id="earlier"' in admin.page("/accounts?page=2")
        # Past the end, or a page that is not a number: an empty page, or the first.
        past = admin.page("/accounts?page=9")
        assert accounts_on(past) == []
        # ... which says so, not that there are no accounts, and leads back to the last page.
        assert "Tidak ada akun di halaman ini" in past and "Belum ada akun" not in past, past[:3000]
        assert '<a href="/accounts?page=3" id="earlier">' in past, past[:3000]
        assert accounts_on(admin.page("/accounts?page=x")) == everything[:100]

        # Each sub-district's heading names it beside its code.
        assert headings(admin.page("/accounts?page=2")) == ["Kecamatan 35.02.01 Ponorogo", "Kecamatan 35.02.02 Babadan"]
        assert headings(admin.page("/admin/accounts")) == ["Kecamatan 35.02.01 Ponorogo", "Kecamatan 35.02.02 Babadan"]

        # The admin's first page says how many owe a new password and names the first 100 of
        # them, in the order `brankas status --json` lists them all.
        first = admin.page("/admin")
        group = re.search(r"<h3>Kata sandi yang harus diganti \((\d+)\)</h3>\s*<ul>(.*?)</ul>", first, re.S)
        assert group and group.group(1) == "225", first[:4000]
        items = re.findall(r"<li>(.*?)</li>", group.group(2))
        assert items[:100] == due[:100] and items[100:] == ["dan 125 lagi (brankas status --json mencantumkan semuanya)"], items

        op1 = Browser(server.url)
        op1.sign_in("op1", OP1_PASSPHRASE)
        seen, pages = walk(op1)
        assert seen == ponorogo and pages == 2, (pages, len(seen))
        assert headings(op1.page("/accounts")) == ["Kecamatan 35.02.01 Ponorogo"]
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("account list: 100 a page, in the CLI's order, a custodian's pages their own: ok")


if __name__ == "__main__":
    main()
