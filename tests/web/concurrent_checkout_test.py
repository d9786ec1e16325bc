#!/usr/bin/python3
"""Twenty people check out at once in the browser, as the bench drives them: every check-out,
password page and check-in is answered, each password is the one the vault holds, every event
is in the log once, signed by its person, and `audit verify` passes. Then the five custodians of
one sub-district ask for the same account at once: one gets it, each of the others is refused
with a 403 and an access.denied event of their own.

usage: concurrent_checkout_test.py BRANKAS_BINARY
"""

import collections
import os
import shutil
import sys
import tempfile
import threading
from datetime import datetime, timedelta

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

PEOPLE = 20
ROUNDS = 3
UNITS = ("35.02.01", "35.02.02", "35.02.03", "35.02.04")


def passphrase_of(name):
    return f"padi-menguning-di-sawah-{int(name[2:]) * 7919}"


def run_at_once(work):
    """Runs each function of `work` on its own thread, all started together; their failures."""
    failures = []
    start = threading.Barrier(len(work))

    def one(job):
        try:
            start.wait()
            job()
        except Exception as e:  # named in the test's failure, not a thread's traceback
            failures.append(repr(e))

    threads = [threading.Thread(target=one, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-at-once-")
    b = harness.Brankas(binary, work)
    b.run(["init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"])
    rows = ["kode,kecamatan,platform,username,password"]
    for i in range(PEOPLE):
        rows.append(f"{UNITS[i % len(UNITS)]},Kecamatan {i % len(UNITS)},instagram,panwascam.{i:02d},sandi-{i:02d}-<&'-xyz")
    b.run(["import", "csv", b.write("akun.csv", "\n".join(rows) + "\n"), "--create-units"])
    today = datetime.now(harness.WIB).date()
    b.run(["term", "add", "Pemilu 2029", "--start", str(today - timedelta(days=10)), "--end", str(today + timedelta(days=100))])
    names = [f"op{i:02d}" for i in range(PEOPLE)]
    for i, name in enumerate(names):
        b.enroll(name, passphrase_of(name), ["--role", "custodian", "--unit", UNITS[i % len(UNITS)]])
    accounts = {name: harness.account_id(b, f"instagram/panwascam.{i:02d}") for i, name in enumerate(names)}
    before = len(b.audit_log())

    server = harness.Server(b)
    try:
        people = {}
        for name in names:
            people[name] = Browser(server.url)
            people[name].sign_in(name, passphrase_of(name))
        shown = collections.defaultdict(list)

        def flows(name):
            browser, mine = people[name], accounts[name]
            for _ in range(ROUNDS):
                code, headers, _ = browser.post(f"/accounts/{mine}/checkout", {"reason": "unggah materi"}, token_from=f"/accounts/{mine}")
                assert code == 303 and headers["location"] == f"/accounts/{mine}/password", (name, code, headers)
                shown[name].append(unescape(text_of(browser.page(f"/accounts/{mine}/password"), "password")))
                code, headers, _ = browser.post(f"/accounts/{mine}/checkin", {}, token_from=f"/accounts/{mine}")
                assert code == 303, (name, code, headers)

        failures = run_at_once([lambda name=name: flows(name) for name in names])
        assert failures == [], failures
        for i, name in enumerate(names):
            assert shown[name] == [f"sandi-{i:02d}-<&'-xyz"] * ROUNDS, (name, shown[name])

        # The five people of one sub-district ask for one account at once: exclusive check-out.
        rivals = [name for i, name in enumerate(names) if UNITS[i % len(UNITS)] == UNITS[0]]
        wanted = accounts[rivals[0]]
        answers = {}

        def ask(name):
            code, headers, _ = people[name].post(f"/accounts/{wanted}/checkout", {"reason": "rebutan"}, token_from=f"/accounts/{wanted}")
            answers[name] = code

        assert run_at_once([lambda name=name: ask(name) for name in rivals]) == []
        winners = [name for name, code in answers.items() if code == 303]
        assert len(winners) == 1 and sorted(answers.values()) == [303] + [403] * (len(rivals) - 1), answers
    except BaseException:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
        raise
    log = server.stop()

    try:
        events = b.audit_log()[before:]
        per_person = collections.Counter((e["action"], e["actor"]) for e in events)
        for name in names:
            wins = 1 if name in winners else 0
            assert per_person[("checkout", name)] == ROUNDS + wins, (name, per_person)
            assert per_person[("checkin", name)] == ROUNDS, (name, per_person)
        refused = sorted(e["actor"] for e in events if e["action"] == "access.denied")
        assert refused == sorted(n for n in rivals if n not in winners), (refused, answers)
        assert len(events) == PEOPLE * ROUNDS * 2 + len(rivals), len(events)
        assert b.run(["audit", "verify"]).returncode == 0
        for name in names:
            assert passphrase_of(name) not in log, "a passphrase reached the server's log"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"at once: {PEOPLE} people x {ROUNDS} check-outs, every event once, verified; one of {len(rivals)} rivals served: ok")


if __name__ == "__main__":
    main()
