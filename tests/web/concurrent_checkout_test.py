#!/usr/bin/python3
"""Twenty people check out at once in the browser, as the bench drives them: every check-out,
password page and check-in is answered, each password is the one the vault holds, every event
is in the log once, signed by its person, and `audit verify` passes. Then the five custodians of
one sub-district ask for the same account at once: one gets it, each of the others is refused
with a 403 and an access.denied event of their own.

First, a burst of connections while the server cannot take them (stopped with SIGSTOP): each
waits in the listening socket's queue and is answered once the server runs again. A backlog
of five (cpp-httplib's own) overflowed when twenty people connected at once on a loaded machine,
and Linux answered one of them with a reset.

usage: concurrent_checkout_test.py BRANKAS_BINARY
"""

import collections
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from datetime import datetime, timedelta

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from pages_test import Browser, text_of, unescape  # noqa: E402

PEOPLE = 20
ROUNDS = 3
UNITS = ("35.02.01", "35.02.02", "35.02.03", "35.02.04")
BURST = 40


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
        except Exception as e:  # named in the test's failure, with where it happened
            where = " <- ".join(f"{f.name}:{f.lineno}" for f in reversed(traceback.extract_tb(e.__traceback__)))
            failures.append(f"{e!r} at {where}")

    threads = [threading.Thread(target=one, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def accept_queue(port):
    """How many connections wait in the accept queue of the socket listening on 127.0.0.1:`port`
    (for a listening socket, /proc/net/tcp's rx_queue is that count)."""
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            if fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A":
                return int(fields[4].split(":")[1], 16)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def stopped(pid):
    """Waits until every thread of `pid` has stopped (a signal stops them one by one)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states = []
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/stat") as stat:
                    states.append(stat.read().rsplit(")", 1)[1].split()[0])
            except FileNotFoundError:  # a thread that ended since the listing
                continue
        if all(state == "T" for state in states):
            return
        time.sleep(0.01)
    raise AssertionError(f"the server's threads did not stop: {states}")


def burst_waits_in_the_queue(server):
    """BURST connections made while the server is stopped all wait in its queue, and each is
    answered once it runs again."""
    port = int(server.url.rsplit(":", 1)[1])
    os.kill(server.proc.pid, signal.SIGSTOP)
    try:
        stopped(server.proc.pid)
        waiting = []
        for _ in range(BURST):  # without waiting for each handshake: a full queue drops it
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", port))
            waiting.append(c)
        deadline, queued = time.monotonic() + 10, 0
        while queued < BURST and time.monotonic() < deadline:
            queued = max(queued, accept_queue(port))
            time.sleep(0.05)
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert queued == BURST, f"{queued} of {BURST} connections waited in the server's queue"
    for c in waiting:
        c.settimeout(30)
        c.sendall(b"GET /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    for c in waiting:
        answer = b""
        while chunk := c.recv(65536):
            answer += chunk
        c.close()
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


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
        burst_waits_in_the_queue(server)
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
    print(f"at once: a burst of {BURST} connections queued and answered; {PEOPLE} people x {ROUNDS} check-outs, every event once, verified; one of {len(rivals)} rivals served: ok")


if __name__ == "__main__":
    main()
