#!/usr/bin/python3
"""What an Indonesian browser reads on the pages that show the vault's own words (a permission,
a state, a role), checked against the catalogue the command line shares:

* the admin's policy page names every action in Indonesian ("checkout: meminjam kata sandi"),
  as `policy explain --help` does, and an explained handover step says its state in Indonesian;
  an explanation says the person's role, the action and each obligation in Indonesian beside the
  names the command line writes; the defaults in force are shown as `policy show` writes them,
  comments in Indonesian, line by line; a stored document is shown as it was stored;
* the reports say an account's status, a handover's state and a person's role and status in
  Indonesian, as the account list and the admin's pages do ("aktif", "dimulai", "petugas
  kecamatan");
* a date the admin's term form cannot read is refused with the format the command line and the
  filters write (YYYY-MM-DD), not another spelling of it;
* an account's login e-mail is called "surel" as the command line and the vault's refusals call
  it, on the account's page and on the admin's form, whose platform choice says "email" and
  "other" in Indonesian beside the names;
* a refused form's page leads back, by its link and by the language switch, to the page the form
  stands on (the account), not to the account list;
* the language switch of a page whose address holds a query (a filtered audit log, the sign-in
  page after a session ended) comes back to that page, query and all, in the other language;
* the audit log and the access report say the reasons the vault writes itself ("account added")
  in Indonesian, and a reason a person typed as it was typed; a refusal's reason (access.denied)
  in Indonesian when it is one of the role matrix's sentences, a role and an action, and one that
  carries other values (a duration) as it was written; the downloads keep the signed English;

usage: language_test.py BRANKAS_BINARY
"""

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser  # noqa: E402


def check_policy_page(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    page = admin.page("/admin/policy")
    options = dict(re.findall(r'<option value="([a-z_]+)"[^>]*>([^<]*)</option>', page))
    assert html.unescape(options["checkout"]) == "checkout: meminjam kata sandi", options
    assert html.unescape(options["read_metadata"]) == "read_metadata: membaca metadata brankas", options
    for action, label in options.items():
        assert "passwords" not in label and "manage " not in label, (action, label)
    b.enroll("op3", "teh-hangat-di-alun-alun-ponorogo", ["--role", "custodian"])
    b.run(["handover", "start", "--unit", "35.02.01", "--to", "op3", "--note", "pergantian tim"])
    page = admin.page("/admin/policy?as=op3&action=accept_handover&target=1")
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    state = re.search(r"<dd>([^<]*)</dd>", facts.split("</dt>", 2)[2]).group(1)  # the second fact: the state
    assert state == "dimulai", facts
    question = html.unescape(re.search(r'id="question">([^<]*)<', page).group(1))
    assert question.startswith("op3 (petugas kecamatan): accept_handover (menerima serah terima) #1 @ "), question
    page = admin.page("/admin/policy?as=op1&action=checkout&target=instagram/panwascam.ponorogo")
    question = html.unescape(re.search(r'id="question">([^<]*)<', page).group(1))
    assert question.startswith("op1 (petugas kecamatan): checkout (meminjam kata sandi) instagram/panwascam.ponorogo @ "), question
    obligations = [html.unescape(o) for o in re.findall(r'<p class="hint obligation">([^<]*)</p>', page)]
    assert obligations == ["Kewajiban: record_reason (alasannya dicatat)", "Kewajiban: expire_at (berakhir sendiri pada waktunya)"], obligations
    # The defaults in force: `policy show`'s document in Indonesian (after its own first line), line by line.
    document = html.unescape(re.search(r'<pre class="document" id="policy-document">(.*?)</pre>', page, re.S).group(1))
    assert document.splitlines()[0].startswith("# Kebijakan brankas ini."), document[:300]
    assert "\n[checkout]\n" in document and "\nmax_duration = \"8h\"\n" in document, document[:600]
    env = dict(b.env, BRANKAS_PASSPHRASE_FILE=b.passphrases["admin"], LANGUAGE="id", LANG="C.UTF-8")
    cli = subprocess.run([b.binary, "--vault", b.vault, "--user", "admin", "policy", "show"], env=env, capture_output=True, text=True)
    assert cli.returncode == 0 and document in cli.stdout, (cli.stdout[:600], document[:600])
    # A stored document is shown as it was stored, in the words its author wrote.
    stored = "# Office policy, as agreed\n[checkout]\nmax_duration = \"8h\"\n"
    b.run(["policy", "set", b.write("office.toml", stored)])
    page = admin.page("/admin/policy")
    document = html.unescape(re.search(r'<pre class="document" id="policy-document">(.*?)</pre>', page, re.S).group(1))
    assert document == stored, document


def rows(page, table_id):
    body = re.search(r'<table id="' + table_id + r'">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def check_reports(b, url):
    """After check_policy_page: a handover of 35.02.01 to op3 is open."""
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    counts = rows(admin.page("/reports/status"), "counts")
    assert counts == [["35.02.01", "aktif", "1"], ["35.02.02", "aktif", "1"]], counts
    handovers = rows(admin.page("/reports/handovers"), "handovers")
    assert [h[2] for h in handovers] == ["dimulai"], handovers
    page = admin.page("/reports/exposure?person=op1")
    note = html.unescape(re.search(r'<p class="hint">([^<]*)</p>', page).group(1))
    assert note == "op1 (petugas kecamatan, aktif)", note


def check_refused_form_leads_back(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    code, _, data = op1.post("/accounts/1/checkout", {"reason": "rapat", "duration": "99d"}, token_from="/accounts/1")
    page = data.decode()
    assert code == 403, code
    assert '<a href="/accounts/1" id="back">Kembali ke halaman sebelumnya</a>' in page, page[:3000]
    assert language_link(page) == "/language/en?next=%2Faccounts%2F1", language_link(page)
    # A form whose token is stale says to open the page again: its link leads there.
    code, _, data = op1.request("POST", "/accounts/1/rotation/start", {"csrf": "0" * 64, "reason": "ganti"})
    assert code == 403 and '<a href="/accounts/1/rotation" id="back">' in data.decode(), code


def check_date_format(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    code, _, data = admin.post("/admin/terms", {"name": "Pilkada 2029", "start": "01/03/2029", "end": "2029-06-01", "units": ""})
    said = html.unescape(re.search(r'id="problem">([^<]*)<', data.decode()).group(1))
    assert code == 400 and said == "'01/03/2029' bukan tanggal: tulis sebagai YYYY-MM-DD.", (code, said)


def check_email_word(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    account = admin.page("/accounts/1")
    assert "<dt>Surel untuk masuk</dt>" in account and "E-mail" not in account, account[:3000]
    form = admin.page("/admin/accounts/1")
    assert '<label for="email">Surel untuk masuk</label>' in form and "E-mail" not in form, form[:3000]
    # The platforms by the names a ref uses; the two that are English words said in Indonesian beside.
    for page in (form, admin.page("/admin/accounts")):
        assert '<option value="email">email (kotak surel)</option>' in page, page[:3000]
        assert '<option value="other">other (platform lain)</option>' in page, page[:3000]
        assert '<option value="tiktok">tiktok</option>' in page, page[:3000]
    code, _, data = admin.post("/admin/accounts/1/edit", {"platform": "instagram", "handle": "panwascam.ponorogo", "email": "bukan-email"},
                               token_from="/admin/accounts/1")
    assert code == 400 and "bukan alamat surel" in html.unescape(data.decode()), code


def language_link(page):
    return html.unescape(re.search(r'id="language" href="([^"]*)"', page).group(1))


def check_language_switch(b, url):
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    here = "/audit?unit=35.02.01&action=account.add"
    code, headers, _ = admin.get(language_link(admin.page(here)))
    assert code == 303 and headers["location"] == here, (code, headers)
    assert admin.cookies.get("lang") == "en", admin.cookies
    page = admin.page(here)
    assert '<html lang="en">' in page and "Audit log" in page, page[:1500]
    code, headers, _ = admin.get(language_link(page))
    assert code == 303 and headers["location"] == here, (code, headers)
    # A visitor sent to sign in from a page switches the language there, and still goes on to it.
    visitor = Browser(url)
    code, headers, _ = visitor.get("/admin/people")
    assert code == 303, code
    sign_in = headers["location"]
    code, headers, _ = visitor.get(language_link(visitor.page(sign_in)))
    assert code == 303 and headers["location"] == sign_in, (code, headers, sign_in)
    page = visitor.page(sign_in)
    assert '<html lang="en">' in page and 'name="next" value="/admin/people"' in page, page[:3000]


def check_own_reasons(b, url):
    """The reasons the vault writes itself ("account added") read in Indonesian in the audit log, a
    reason a person typed as typed; the download keeps the signed English."""
    b.run(["account", "add", "--unit", "35.02.02", "--platform", "tiktok", "--handle", "pwc.babadan.baru", "--generate"])
    b.run(["secret", "set", "tiktok/pwc.babadan.baru", "--generate", "--reason", "account added today"])
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    events = rows(admin.page("/audit?action=secret.set"), "events")
    assert [e[5] for e in events[-2:]] == ["akun ditambahkan", "account added today"], events
    code, _, data = admin.get("/audit/log.csv?action=secret.set")
    assert code == 200 and ',"account added",' in data.decode(), (code, data[-600:])
    # The access report says it so too, of a check-out whose reason was typed as the vault writes one.
    b.run(["checkout", "tiktok/pwc.babadan.baru", "--reason", "end of term 'Pemilu 2029'"])
    accesses = rows(admin.page("/reports/access?unit=35.02.02"), "access")
    assert accesses[-1][6] == "akhir masa tugas 'Pemilu 2029'", accesses
    op1 = Browser(url)
    op1.sign_in("op1", "kebun-teh-gunung-wilis-2029")
    assert op1.get("/admin/people")[0] == 403 and op1.get("/reports/status")[0] == 403
    denied = rows(admin.page("/audit?action=access.denied"), "events")
    reasons = [e[5] for e in denied]
    assert reasons[-2:] == ["petugas kecamatan tidak boleh mengelola pengguna",
                            "petugas kecamatan tidak boleh membaca riwayat kata sandi di kecamatan yang bukan aksesnya"], denied
    # check_refused_form_leads_back's check-out of 99 days: a refusal with values, as written.
    assert "a check-out may last at most 8h, not 99d" in reasons, denied
    code, _, data = admin.get("/audit/log.csv?action=access.denied")
    assert code == 200 and ',"a custodian may not manage users",' in data.decode(), (code, data[-600:])


def main():
    binary = os.path.abspath(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="brankas-web-language-")
    server = None
    try:
        b = harness.Brankas(binary, workdir)
        harness.make_district(b)
        server = harness.Server(b)
        check_policy_page(b, server.url)
        check_reports(b, server.url)
        check_language_switch(b, server.url)
        check_date_format(b, server.url)
        check_refused_form_leads_back(b, server.url)
        check_email_word(b, server.url)
        check_own_reasons(b, server.url)
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
