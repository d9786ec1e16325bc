#!/usr/bin/python3
"""A custodian's pages over HTTP, as a browser sends them:

* the outgoing custodian releases a handover (`handover release ID`) on /handovers/to-release:
  the release is the handover.release event signed with their own key; another custodian is
  refused by the vault (403, access.denied), a form without its CSRF token is refused and records
  nothing, a second release is the vault's refusal; the admin's handover page says whether the
  release is still awaited, and the minutes then name the release by its event;
* the auditor an admin named as witness (`handover start --witness`) witnesses the accepted
  handover (`handover witness ID`) on /handovers/to-witness, in Indonesian: the handover.witness
  event signed with their own key, then the handover leaves the list; an auditor not named sees
  nothing there and is refused by the vault (403, access.denied), and so is a second witness;
* while the policy requires a witness, an accepted handover that names none waits on the
  /handovers/to-witness of an auditor who neither started it nor is a party to it, and she
  witnesses it there;
* /people shows a custodian their own sub-districts and the people of those, an auditor all
  of them, as `unit list` and `user list` do at the command line;
* the links between the audit log and the reports lead nowhere that refuses: a custodian's /audit
  offers no vault-wide access, exposure or status report (each answers them 403) but the access
  report of each of their own sub-districts, an admin's and an auditor's offer every one, and an
  auditor whom the policy forbids password history loses them;
* the menu in the header offers each person what they may open (every entry answers 200, and
  offering records nothing): a custodian's has the audit log and, as Reports, their own
  sub-district's access report, an auditor's has the handovers to witness, and an auditor whom
  the policy forbids password history has no Reports entry;
* /audit and its downloads show a custodian the events of those people, not another
  sub-district's people's (their addition, enrolment, ...), and the log of another
  sub-district's account is refused as the account's page refuses it (403, access.denied), not
  an empty list.

usage: custodian_pages_test.py BRANKAS_BINARY
"""

import html
import json
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of  # noqa: E402

OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"
OP2_PASSPHRASE = "sawah-hijau-di-lereng-lawu-77"
OP3_PASSPHRASE = "pendatang-baru-di-kecamatan-ponorogo-8"
AUDITOR_PASSPHRASE = "catatan-pengawas-yang-teliti-2029"
AUDITOR2_PASSPHRASE = "pengawas-kedua-yang-tidak-ditunjuk-31"


def card(page, hid):
    m = re.search(r'<section class="card" id="handover-' + hid + r'">(.*?)</section>', page, re.S)
    assert m, page[:3000]
    return m.group(1)


def check_people(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    page = op1.page("/people")
    assert 'id="unit-35.02.01"' in page and 'id="unit-35.02.02"' not in page, page[:3000]
    assert 'id="person-op1"' in page, page[:3000]
    for hidden in ("op2", "op3", "admin", "audra"):
        assert f'id="person-{hidden}"' not in page, (hidden, page[:3000])
    # The command line says the same.
    assert [u["name"] for u in json.loads(b.run(["--json", "user", "list"], user="op1").stdout)] == ["op1"]
    assert [u["code"] for u in json.loads(b.run(["--json", "unit", "list"], user="op1").stdout)] == ["35.02.01"]
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    page = auditor.page("/people")
    for code in ("35.02.01", "35.02.02"):
        assert f'id="unit-{code}"' in page, (code, page[:3000])
    for name in ("admin", "audra", "op1", "op2", "op3"):
        assert f'id="person-{name}"' in page, (name, page[:3000])
    assert "Kecamatan dan pengguna" in page, page[:2000]


def check_audit_log(b, url):
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    # op2 keeps Babadan, op3 nothing yet, audra is an auditor: /people shows op1 none of them.
    for path in ("/audit", "/audit/log.csv", "/audit/log.jsonl"):
        code, _, data = op1.get(path)
        text = data.decode()
        assert code == 200, (path, code)
        assert "user.enroll" in text, (path, text[:3000])
        for hidden in ("op2", "op3", "audra"):
            assert hidden not in text, (path, hidden, text[:3000])
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    page = auditor.page("/audit")
    for name in ("op2", "op3", "audra"):
        assert f"<td>{name}</td>" in page, (name, page[:3000])

    # Babadan's account: refused as its page is, and the refusal recorded.
    assert op1.get("/accounts/2")[0] == 403
    for path in ("/audit?account=2", "/audit?account=facebook/panwascam.babadan", "/audit/log.csv?account=2",
                 "/audit/log.jsonl?account=2"):
        before = len(b.audit_log())
        code, _, data = op1.get(path)
        assert code == 403, (path, code, data[:2000])
        added = b.audit_log()[before:]
        assert [(e["actor"], e["action"], e["target"]) for e in added] == [("op1", "access.denied", "account/2")], (path, added)
    for path in ("/audit?account=99", "/audit?account=facebook/nobody"):
        assert op1.get(path)[0] == 404, path
    page = op1.page("/audit?account=1")
    assert "account.add" in page and "instagram/panwascam.ponorogo" in page, page[:3000]


def report_links(browser, path="/audit"):
    return dict((i, html.unescape(h)) for h, i in re.findall(r'<a href="([^"]*)" id="to-([a-z0-9.-]+)"', browser.page(path)))


def menu_links(browser, path="/accounts"):
    nav = re.search(r'<nav class="menu" id="menu" aria-label="[^"]*">(.*?)</nav>', browser.page(path), re.S)
    assert nav, path
    return dict((i, html.unescape(h)) for h, i in re.findall(r'<a href="([^"]*)" id="menu-([a-z]+)"', nav.group(1)))


def check_menu(b, url):
    """The menu offers what the person may open, each entry asked of the engine as its page asks it."""
    people = {"op1": OP1_PASSPHRASE, "admin": harness.ADMIN_PASSPHRASE, "audra": AUDITOR_PASSPHRASE}
    before = len(b.audit_log())
    menus = {}
    for name, passphrase in people.items():
        browser = Browser(url)
        browser.sign_in(name, passphrase)
        menus[name] = menu_links(browser)
        assert menu_links(browser, "/approvals") == menus[name], name
        for entry, href in menus[name].items():
            assert browser.get(href)[0] == 200, (name, entry, href)
    assert list(menus["admin"]) == ["accounts", "admin", "audit", "reports", "verify", "approvals", "passphrase"], menus["admin"]
    assert list(menus["audra"]) == ["accounts", "audit", "reports", "verify", "handovers", "people", "approvals", "passphrase"], menus["audra"]
    # An auditor's handovers are those they witness; an admin witnesses on the admin's handover pages.
    assert menus["audra"]["handovers"] == "/handovers/to-witness", menus["audra"]
    # A custodian's audit log shows their sub-district's events; their reports are its access report.
    assert list(menus["op1"]) == ["accounts", "audit", "reports", "verify", "handovers", "people", "approvals", "passphrase"], menus["op1"]
    assert menus["op1"]["audit"] == "/audit" and menus["op1"]["reports"] == "/reports/access?unit=35.02.01", menus["op1"]
    # Offering records nothing: no entry led anyone to a refusal.
    assert [e for e in b.audit_log()[before:] if e["action"] == "access.denied"] == []
    # A policy that forbids an auditor password history takes the reports from their menu.
    b.run(["policy", "set", b.write("no-history.toml", '[[forbid]]\nrole = "auditor"\naction = "read_history"\n')])
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    menu = menu_links(auditor)
    assert list(menu) == ["accounts", "audit", "verify", "handovers", "people", "approvals", "passphrase"], menu
    for entry, href in menu.items():
        assert auditor.get(href)[0] == 200, (entry, href)
    assert 'id="menu-reports"' not in auditor.page("/audit")
    b.run(["policy", "set", b.write("none.toml", "# the defaults\n")])


def check_unit_reports(b, url):
    """A custodian is offered the access report of each of their own sub-districts, and only those."""
    b.run(["user", "grant", "--name", "op3", "--unit", "35.02.02"])
    op3 = Browser(url)
    op3.sign_in("op3", OP3_PASSPHRASE)
    links = report_links(op3)
    assert sorted(links) == ["access-35.02.01", "access-35.02.02", "handovers", "log", "verify"], links
    for code in ("35.02.01", "35.02.02"):
        assert links["access-" + code] == "/reports/access?unit=" + code, links
        page = op3.page(links["access-" + code])
        assert 'id="filter-unit" value="' + code + '"' in page, page[:3000]
        assert report_links(op3, links["access-" + code]) == links
    assert "Laporan akses 35.02.01 Ponorogo" in op3.page("/audit")
    assert menu_links(op3)["reports"] == "/reports/access?unit=35.02.01"
    # op1 handed Ponorogo over: no sub-district, no report, no Reports entry.
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    assert sorted(report_links(op1)) == ["handovers", "log", "verify"]
    assert "reports" not in menu_links(op1)


def check_report_links(b, url):
    people = {"op1": OP1_PASSPHRASE, "admin": harness.ADMIN_PASSPHRASE, "audra": AUDITOR_PASSPHRASE}
    reports = {"access": "/reports/access", "exposure": "/reports/exposure?person=op1", "status": "/reports/status"}
    before = len(b.audit_log())
    links = {}
    for name, passphrase in people.items():
        browser = Browser(url)
        browser.sign_in(name, passphrase)
        links[name] = report_links(browser)
        for report, path in reports.items():
            code = browser.get(path)[0]
            assert (code == 200) == (report in links[name]), (name, report, code, links[name])
        for offered in links[name].values():
            assert browser.get(offered)[0] == 200, (name, offered)
    assert sorted(links["op1"]) == ["access-35.02.01", "handovers", "log", "verify"], links["op1"]
    for name in ("admin", "audra"):
        assert sorted(links[name]) == ["access", "exposure", "handovers", "log", "status", "verify"], links[name]
    # Offering a link records nothing; only op1's own tries of the three reports were refused.
    denied = [(e["actor"], e["target"]) for e in b.audit_log()[before:] if e["action"] == "access.denied"]
    assert denied == [("op1", "report access"), ("op1", "report exposure"), ("op1", "report status")], denied
    # The policy, not a list of roles, decides: an auditor forbidden password history loses them.
    b.run(["policy", "set", b.write("no-history.toml", '[[forbid]]\nrole = "auditor"\naction = "read_history"\n')])
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    assert sorted(report_links(auditor, "/reports/handovers")) == ["handovers", "log", "verify"]
    assert auditor.get("/reports/status")[0] == 403
    b.run(["policy", "set", b.write("none.toml", "# the defaults\n")])


def check_approvals(b, url):
    b.run(["policy", "set", b.write("dual.toml", '[dual_control]\nactions = ["rekey"]\napprovers = ["admin"]\nwindow = "30m"\n')])
    ids = {}
    for name in ("op2", "op1"):
        asked = b.run(["user", "disable", name, "--rekey", "--reason", "pindah tugas"], check=False)
        assert asked.returncode == 18, asked.stderr
        ids[name] = re.match(r"Request (\d+) ", asked.stdout).group(1)
    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    for path in ("/approvals", "/approvals?all=1"):
        page = op1.page(path)
        assert f'id="request-{ids["op1"]}"' in page, (path, page[:3000])
        assert f'id="request-{ids["op2"]}"' not in page and "op2" not in page, (path, page[:3000])
    before = len(b.audit_log())
    assert op1.get(f"/approvals/{ids['op2']}")[0] == 403
    denied = [e for e in b.audit_log()[before:] if e["action"] == "access.denied"]
    assert [(e["actor"], e["target"]) for e in denied] == [("op1", f"approval/{ids['op2']}")], denied
    assert "op1" in op1.page(f"/approvals/{ids['op1']}")
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    page = auditor.page("/approvals")
    for name in ("op1", "op2"):
        assert f'id="request-{ids[name]}"' in page, (name, page[:3000])


def check_witness(b, url, hid):
    """The accepted handover `hid`, naming audra as witness: aldo, an auditor not named, sees
    nothing to witness and is refused; audra witnesses it on /handovers/to-witness."""
    aldo = Browser(url)
    aldo.sign_in("aldo", AUDITOR2_PASSPHRASE)
    assert 'id="no-handovers"' in aldo.page("/handovers/to-witness")
    before = len(b.audit_log())
    code, _, _ = aldo.post(f"/handovers/{hid}/witness", {}, token_from="/handovers/to-witness")
    assert code == 403, code
    assert [(e["actor"], e["action"]) for e in b.audit_log()[before:]] == [("aldo", "access.denied")]

    audra = Browser(url)
    audra.sign_in("audra", AUDITOR_PASSPHRASE)
    page = audra.page("/handovers/to-witness")
    assert "Serah terima untuk disaksikan" in page, page[:3000]
    assert text_of(page, "tab-to-witness") == "Untuk disaksikan (1)", text_of(page, "tab-to-witness")
    # An auditor takes no custodian's step: only their own tab.
    assert 'id="tab-to-accept"' not in page and 'id="tab-to-release"' not in page, page[:3000]
    found = card(page, hid)
    for part in ("35.02.01 Ponorogo", "<dd>op1</dd>", "<dd>op3</dd>", ", oleh op3", "pergantian tim", "instagram/panwascam.ponorogo",
                 f'id="witness-{hid}"', "Saksikan serah terima ini"):
        assert part in found, (part, found)
    # Without its CSRF token: refused, and nothing recorded.
    before = len(b.audit_log())
    code, _, _ = audra.request("POST", f"/handovers/{hid}/witness", {})
    assert code == 403, code
    assert len(b.audit_log()) == before
    code, headers, _ = audra.post(f"/handovers/{hid}/witness", {}, token_from="/handovers/to-witness")
    assert code == 303 and headers["location"] == "/handovers/to-witness?done=witnessed", (code, headers)
    witnessed = b.audit_log()[-1]
    assert (witnessed["action"], witnessed["actor"], witnessed["target"]) == ("handover.witness", "audra", f"handover/{hid}"), witnessed
    page = audra.page("/handovers/to-witness?done=witnessed")
    assert text_of(page, "notice") == "Anda telah menyaksikan serah terima ini.", text_of(page, "notice")
    assert 'id="no-handovers"' in page and f'id="handover-{hid}"' not in page, page[:3000]
    assert text_of(page, "tab-to-witness") == "Untuk disaksikan (0)"
    assert json.loads(b.run(["--json", "handover", "show", hid]).stdout)["state"] == "witnessed"
    # Witnessed once: again is the vault's refusal.
    before = len(b.audit_log())
    code, _, _ = audra.post(f"/handovers/{hid}/witness", {}, token_from="/handovers/to-witness")
    assert code == 403, code
    assert [(e["actor"], e["action"]) for e in b.audit_log()[before:]] == [("audra", "access.denied")]


def check_release(b, url):
    started = json.loads(b.run(["--json", "handover", "start", "--unit", "35.02.01", "--to", "op3", "--witness", "audra",
                                "--note", "pergantian tim"]).stdout)
    hid = str(started["id"])
    admin = Browser(url)
    admin.sign_in("admin", harness.ADMIN_PASSPHRASE)
    assert text_of(admin.page(f"/admin/handovers/{hid}"), "release") == "masih ditunggu dari op1"

    # Another custodian: nothing to release, and the vault refuses (and records) the attempt.
    op2 = Browser(url)
    op2.sign_in("op2", OP2_PASSPHRASE)
    assert 'id="no-handovers"' in op2.page("/handovers/to-release")
    before = len(b.audit_log())
    code, _, _ = op2.post(f"/handovers/{hid}/release", {}, token_from="/handovers/to-release")
    assert code == 403, code
    assert [e["action"] for e in b.audit_log()[before:]] == ["access.denied"]
    # The receiver is no outgoing custodian either.
    op3 = Browser(url)
    op3.sign_in("op3", OP3_PASSPHRASE)
    assert 'id="no-handovers"' in op3.page("/handovers/to-release")

    op1 = Browser(url)
    op1.sign_in("op1", OP1_PASSPHRASE)
    page = op1.page("/handovers/to-release")
    assert text_of(page, "tab-to-release") == "Untuk dilepaskan (1)", text_of(page, "tab-to-release")
    assert text_of(page, "tab-to-accept") == "Untuk diterima (0)", text_of(page, "tab-to-accept")
    found = card(page, hid)
    for part in ("35.02.01", "op3", "pergantian tim", "instagram/panwascam.ponorogo", f'id="release-{hid}"'):
        assert part in found, (part, found)
    # Without its CSRF token: refused, and nothing recorded.
    before = len(b.audit_log())
    code, _, _ = op1.request("POST", f"/handovers/{hid}/release", {})
    assert code == 403, code
    assert len(b.audit_log()) == before
    code, headers, _ = op1.post(f"/handovers/{hid}/release", {}, token_from="/handovers/to-release")
    assert code == 303 and headers["location"] == "/handovers/to-release?done=released", (code, headers)
    released = b.audit_log()[-1]
    assert released["action"] == "handover.release" and released["actor"] == "op1", released
    assert released["target"] == f"handover/{hid}", released
    page = op1.page("/handovers/to-release?done=released")
    assert "Dilepaskan" in text_of(page, "notice"), page[:3000]
    done = text_of(page, f"released-{hid}")
    assert done.startswith("Anda telah melepaskannya pada ") and done.endswith(f"(peristiwa {released['seq']})."), done
    assert f'id="release-{hid}"' not in page
    # Released once: again is the vault's refusal.
    before = len(b.audit_log())
    code, _, _ = op1.post(f"/handovers/{hid}/release", {}, token_from="/handovers/to-release")
    assert code == 403, code
    assert [e["action"] for e in b.audit_log()[before:]] == ["access.denied"]

    assert text_of(admin.page(f"/admin/handovers/{hid}"), "release") == "diberikan oleh setiap penyerah"
    # Not accepted yet: nothing waits for the witness.
    auditor = Browser(url)
    auditor.sign_in("audra", AUDITOR_PASSPHRASE)
    assert 'id="no-handovers"' in auditor.page("/handovers/to-witness")
    b.run(["handover", "accept", hid], user="op3")
    check_witness(b, url, hid)
    b.run(["handover", "complete", hid])
    # The minutes name the release, by its event, in the browser as at the command line.
    code, _, minutes = admin.get(f"/admin/handovers/{hid}/minutes")
    assert code == 200, code
    minutes = minutes.decode("utf-8")
    assert minutes == b.run(["handover", "minutes", hid, "--format", "html"]).stdout, "the minutes differ from the CLI's"
    assert "telah melepaskan akun-akun di atas" in minutes and f"(peristiwa {released['seq']})" in minutes, minutes[:3000]
    # Once complete, nothing waits on the release page.
    assert 'id="no-handovers"' in op1.page("/handovers/to-release")
    assert 'id="no-handovers"' in auditor.page("/handovers/to-witness")
    # The command line's log has the witness, by the auditor.
    assert ("audra", "handover.witness", f"handover/{hid}") in [(e["actor"], e["action"], e["target"]) for e in b.audit_log()]


def check_witness_required(b, url):
    """A policy that requires a witness, and a handover of Babadan naming none: audra, a second
    person (she neither started it nor is a party to it), finds it on /handovers/to-witness and
    witnesses it there."""
    b.run(["policy", "set", b.write("witness.toml", "[handover]\nwitness_required = true\n")])
    hid = str(json.loads(b.run(["--json", "handover", "start", "--unit", "35.02.02", "--to", "op1", "--note", "tanpa saksi"]).stdout)["id"])
    b.run(["handover", "accept", hid], user="op1")
    audra = Browser(url)
    audra.sign_in("audra", AUDITOR_PASSPHRASE)
    page = audra.page("/handovers/to-witness")
    assert text_of(page, "tab-to-witness") == "Untuk disaksikan (1)", text_of(page, "tab-to-witness")
    assert text_of(card(page, hid), f"named-{hid}") == "tidak ada yang ditunjuk; diwajibkan kebijakan", card(page, hid)
    code, headers, _ = audra.post(f"/handovers/{hid}/witness", {}, token_from="/handovers/to-witness")
    assert code == 303 and headers["location"] == "/handovers/to-witness?done=witnessed", (code, headers)
    shown = json.loads(b.run(["--json", "handover", "show", hid]).stdout)
    assert (shown["state"], shown["witness"], shown["witnessed"]["by"]) == ("witnessed", None, "audra"), shown


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-custodian-pages-")
    b = harness.Brankas(binary, work)
    harness.make_district(b)
    b.enroll("op3", OP3_PASSPHRASE, ["--role", "custodian"])
    b.enroll("audra", AUDITOR_PASSPHRASE, ["--role", "auditor"])
    b.enroll("aldo", AUDITOR2_PASSPHRASE, ["--role", "auditor"])
    server = harness.Server(b)
    try:
        check_people(b, server.url)
        check_audit_log(b, server.url)
        check_report_links(b, server.url)
        check_menu(b, server.url)
        check_approvals(b, server.url)
        check_release(b, server.url)
        check_unit_reports(b, server.url)
        check_witness_required(b, server.url)
        assert b.run(["audit", "verify"]).returncode == 0
    finally:
        log = server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for secret in (OP1_PASSPHRASE, OP2_PASSPHRASE, OP3_PASSPHRASE, AUDITOR_PASSPHRASE, AUDITOR2_PASSPHRASE, harness.ADMIN_PASSPHRASE):
        assert secret not in log, "a passphrase reached the server's log"
    print("a custodian's handover release, an auditor's witness and people page in the browser: ok")


if __name__ == "__main__":
    main()
