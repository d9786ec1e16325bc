#!/usr/bin/python3
"""The browser face under load: 20 signed-in custodians on a 30,000-account vault.

Builds the vault (bench/web_bench_vault.cpp, through the vault API), enrolls 20 custodians of
one sub-district each, starts `brankas serve`, signs the 20 in, then:

* wrk (Debian's package) browses for --duration seconds with 20 connections, each request
  carrying one of the 20 session cookies in turn: the account pages of their own sub-districts,
  then the list of their accounts;
* the 20 sessions check out and in at once (POST the check-out, GET the page that shows the
  password, POST the check-in), --rounds times each;
* the CLI's whole `brankas checkout` (process start, key derivation, open, decide, commit, print)
  on the same vault, for the comparison the issue asks for;
* the server's peak resident memory (VmHWM) at the end.

It prints figures and PASS/MISS against the targets; it fails only when something errors, never
on a timing.

usage: web_bench.py --brankas PATH --builder PATH [--compare PATH] [--units N] [--accounts N]
                    [--sessions N] [--duration S] [--rounds N] [--dir DIR] [--keep]
"""

import argparse
import http.client
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CUSTODIAN_PASSPHRASE = "pematang-sawah-di-kaki-gunung-2031"


def unit_code(index):
    """bench/vault_builder.cpp's unit_code."""
    return "%02d.%02d.%02d" % (11 + index // 900, 1 + (index // 30) % 30, 1 + index % 30)


class Cli:
    def __init__(self, binary, vault, admin_passphrase_file, work):
        self.binary, self.vault, self.work = binary, vault, work
        self.env = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "BRANKAS_ALLOW_TEST_KDF": "1"}
        self.passphrases = {"admin": admin_passphrase_file}

    def run(self, args, user="admin", binary=None):
        env = dict(self.env, BRANKAS_PASSPHRASE_FILE=self.passphrases[user])
        done = subprocess.run([binary or self.binary, "--vault", self.vault, "--user", user] + args, env=env, capture_output=True,
                              text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"web_bench: brankas {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done.stdout

    def private_file(self, name, text):
        path = os.path.join(self.work, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        return path


class Session:
    """One signed-in browser: its cookies and its CSRF token."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.cookies = {}
        self.csrf = ""
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, method, path, form=None):
        headers = {"Accept-Language": "id"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # The server closed a keep-alive connection that sat idle (during the wrk runs): a new one.
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return r.status, data.decode("utf-8", "replace")

    def sign_in(self, name, passphrase):
        _, page = self.request("GET", "/sign-in")
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        status, _ = self.request("POST", "/sign-in", {"csrf": token, "name": name, "passphrase": passphrase, "next": "/accounts"})
        if status != 303:
            raise SystemExit(f"web_bench: sign-in of {name} answered {status}")
        _, page = self.request("GET", "/accounts")
        self.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        self.cookies.pop("brankas_form", None)


def cpu_seconds(pid):
    """The process's CPU time so far (user + system), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def wrk(url, script, duration, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=duration + 120)
    if out.returncode != 0:
        raise SystemExit("web_bench: wrk failed: " + out.stderr)
    text = out.stdout

    def ms(label):
        m = re.search(r"^\s*" + re.escape(label) + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"p50": ms("50%"), "p99": ms("99%"), "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "requests": int(re.search(r"(\d+) requests in", text).group(1)), "non_2xx": int(non_ok.group(1)) if non_ok else 0}


def lua_script(path, sessions, paths_of):
    """A wrk script that sends each request with the next (cookie, path) pair, round robin."""
    pairs = []
    for s in sessions:
        cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.items())
        for p in paths_of(s):
            pairs.append((cookie, p))
    with open(path, "w") as f:
        f.write("local pairs = {\n")
        for cookie, p in pairs:
            f.write("  {%s, %s},\n" % (json.dumps(cookie), json.dumps(p)))
        f.write("}\nlocal i = 0\n")
        f.write("request = function()\n  i = i % #pairs + 1\n"
                "  return wrk.format('GET', pairs[i][2], {['Cookie'] = pairs[i][1], ['Accept-Language'] = 'id'})\nend\n")
    return len(pairs)


def drive(a, binary, vault, cli, names, own, work):
    """Starts `binary`'s server on the vault, signs the custodians in, drives it, stops it, then
    times the CLI's check-out; prints the figures and returns how many check-outs failed."""
    server = subprocess.Popen([binary, "--vault", vault, "serve", "--listen", "127.0.0.1:0"], env=cli.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = None
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        if select.select([server.stderr], [], [], 0.5)[0]:
            m = re.search(r"listening on (http://\S+)", server.stderr.readline())
            url = m.group(1) if m else None
    if url is None:
        server.kill()
        raise SystemExit("web_bench: the server did not start")
    # The server's log is drained so that it never blocks on a full pipe.
    threading.Thread(target=lambda: server.stderr.read(), daemon=True).start()
    host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
    try:
        sessions = []
        for name in names:
            s = Session(host, port)
            s.sign_in(name, CUSTODIAN_PASSPHRASE)
            s.name = name
            sessions.append(s)
        print(f"server: {url}, {len(sessions)} sessions signed in")

        script = os.path.join(work, "accounts.lua")
        pairs = lua_script(script, sessions, lambda s: [f"/accounts/{acc['id']}" for acc in own[s.name][:10]])
        cpu0 = cpu_seconds(server.pid)
        page = wrk(url, script, a.duration, a.sessions)
        cpu1 = cpu_seconds(server.pid)
        page["cpu_ms"] = (cpu1 - cpu0) * 1000 / max(page["requests"], 1)
        script = os.path.join(work, "list.lua")
        lua_script(script, sessions, lambda s: ["/accounts"])
        listing = wrk(url, script, a.duration, a.sessions)
        listing["cpu_ms"] = (cpu_seconds(server.pid) - cpu1) * 1000 / max(listing["requests"], 1)

        # Check-out and check-in, the 20 at once.
        checkouts, checkins, errors = [], [], []

        def flow(s):
            try:
                rounds(s)
            except Exception as e:  # a failure is counted and named, not a thread's traceback
                errors.append((s.name, repr(e)))

        def rounds(s):
            for r in range(a.rounds):
                acc = own[s.name][r % len(own[s.name])]
                t0 = time.perf_counter()
                status, _ = s.request("POST", f"/accounts/{acc['id']}/checkout", {"csrf": s.csrf, "reason": "bench"})
                status2, page_text = s.request("GET", f"/accounts/{acc['id']}/password")
                t1 = time.perf_counter()
                status3, _ = s.request("POST", f"/accounts/{acc['id']}/checkin", {"csrf": s.csrf})
                t2 = time.perf_counter()
                if (status, status2, status3) != (303, 200, 303) or 'id="password"' not in page_text:
                    errors.append((s.name, acc["id"], status, status2, status3))
                checkouts.append((t1 - t0) * 1000)
                checkins.append((t2 - t1) * 1000)

        t0 = time.perf_counter()
        cpu0 = cpu_seconds(server.pid)
        threads = [threading.Thread(target=flow, args=(s,)) for s in sessions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        flow_seconds = time.perf_counter() - t0
        flow_cpu_ms = (cpu_seconds(server.pid) - cpu0) * 1000 / max(len(checkouts), 1)

        with open(f"/proc/{server.pid}/status") as f:
            peak_kib = int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    # The CLI's whole command, on the same vault, by one of the same custodians.
    ref = own[names[0]][0]
    ref = f"{ref['platform']}/{ref['handle']}"
    cli_ms = []
    for _ in range(a.cli_runs + 2):
        t = time.perf_counter()
        cli.run(["checkout", ref, "--reason", "bench"], user=names[0], binary=binary)
        cli_ms.append((time.perf_counter() - t) * 1000)
        cli.run(["checkin", ref], user=names[0], binary=binary)
    cli_ms = cli_ms[2:]  # two warm-up runs
    cli_median = statistics.median(cli_ms)
    web_checkout_p50 = percentile(checkouts, 50)

    def verdict(ok):
        return "PASS" if ok else "MISS"

    print()
    print(f"{binary}, load {os.getloadavg()[0]:.2f} at the end")
    print(f"{'':44} {'p50':>9} {'p99':>9} {'req/s':>9}")
    print(f"{'account page (wrk, %d sessions, %d pages)' % (a.sessions, pairs):44} {page['p50']:8.1f}ms {page['p99']:8.1f}ms "
          f"{page['rps']:9.0f}   {verdict(page['p99'] < 50)} p99 < 50 ms; {page['requests']} requests, {page['non_2xx']} not 2xx/3xx")
    print(f"{'account list (wrk, %d sessions)' % a.sessions:44} {listing['p50']:8.1f}ms {listing['p99']:8.1f}ms "
          f"{listing['rps']:9.0f}   {verdict(listing['p99'] < 50)} p99 < 50 ms; {listing['requests']} requests, {listing['non_2xx']} not 2xx/3xx")
    n = len(checkouts)
    print(f"{'check-out + password page (20 at once)':44} {web_checkout_p50:8.1f}ms {percentile(checkouts, 99):8.1f}ms "
          f"{n / flow_seconds:9.1f}   {n} check-outs, {len(errors)} failed")
    print(f"{'check-in (20 at once)':44} {percentile(checkins, 50):8.1f}ms {percentile(checkins, 99):8.1f}ms")
    print(f"{'CLI: whole `brankas checkout`, median':44} {cli_median:8.1f}ms {'':9} {'':9}   "
          f"{verdict(web_checkout_p50 <= 1.5 * cli_median)} browser check-out p50 within 1.5x ({web_checkout_p50 / cli_median:.2f}x)")
    print(f"server peak resident memory (VmHWM): {peak_kib / 1024:.1f} MiB   {verdict(peak_kib < 64 * 1024)} < 64 MiB "
          f"(the sign-ins used the test KDF, so no KDF memory is in it)")
    print(f"server CPU per request: account page {page['cpu_ms']:.2f} ms, account list {listing['cpu_ms']:.2f} ms, "
          f"check-out flow (check-out, password page, check-in) {flow_cpu_ms:.2f} ms")
    if errors:
        print("failed check-outs:", errors[:5])
    return len(errors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brankas", required=True)
    ap.add_argument("--builder", required=True)
    ap.add_argument("--units", type=int, default=400)
    ap.add_argument("--accounts", type=int, default=30000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--cli-runs", type=int, default=11)
    ap.add_argument("--compare", help="a second brankas binary, driven the same way on the same vault right after")
    ap.add_argument("--dir")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("web_bench: wrk is not installed (scripts/install-deps.sh installs it)")

    work = tempfile.mkdtemp(prefix="brankas-web-bench-", dir=a.dir)
    print("== Brankas browser bench")
    print(f"work dir: {work}{' (kept)' if a.keep else ''}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}")
    started = time.monotonic()
    built = subprocess.run([a.builder, os.path.join(work, "vault"), "--units", str(a.units), "--accounts", str(a.accounts)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        raise SystemExit("web_bench: building the vault failed: " + built.stderr[-2000:])
    vault, admin_pass = built.stdout.split("\n")[:2]
    print(f"vault: {a.units} sub-districts, {a.accounts} accounts, built in {time.monotonic() - started:.0f} s (vault API, test KDF)")

    cli = Cli(a.brankas, vault, admin_pass, work)
    names = []
    own = {}  # custodian -> their accounts' ids
    accounts = json.loads(cli.run(["--json", "account", "list"]))
    by_unit = {}
    for acc in accounts:
        by_unit.setdefault(acc["unit"], []).append(acc)
    for i in range(a.sessions):
        name = f"bench{i + 1}"
        code = json.loads(cli.run(["--json", "user", "add", name, "--role", "custodian", "--unit", unit_code(i), "--kdf", "test"]))
        code_file = cli.private_file(name + ".code", code["enrollment_code"] + "\n")
        cli.passphrases[name] = cli.private_file(name + ".pass", CUSTODIAN_PASSPHRASE + "\n")
        cli.run(["user", "enroll", "--code-file", code_file, "--kdf", "test"], user=name)
        names.append(name)
        own[name] = [acc for acc in by_unit[unit_code(i)]]

    # --compare: a second binary's server on the same vault, right after the first (the same
    # load, as near as a shared machine gives it), e.g. main's build before a change.
    failed = 0
    for binary in [a.brankas] + ([a.compare] if a.compare else []):
        failed += drive(a, binary, vault, cli, names, own, work)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
