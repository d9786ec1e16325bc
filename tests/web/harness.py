"""What the browser face's tests share: the real binary run on a throwaway vault, and the
server started on a free port of the loopback interface, stopped with SIGTERM."""

import json
import os
import re
import select
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone

ADMIN_PASSPHRASE = "kuda-lari-di-sawah-hijau-2029"
WIB = timezone(timedelta(hours=7))


class Brankas:
    """The binary, run as a script would run it: the test KDF, passphrases from files."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.dir = workdir
        self.vault = os.path.join(workdir, "v")
        self.env = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "BRANKAS_ALLOW_TEST_KDF": "1"}
        for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            if name in os.environ:
                self.env[name] = os.environ[name]
        # Under the sanitizers, the server (what these tests are about) is leak-checked when it
        # stops; the commands that set its vault up are not: the end-to-end tests leak-check every
        # command, and the scan at each exit was a quarter of these tests' CPU time.
        self.cli_env = dict(self.env)
        if "ASAN_OPTIONS" in self.env:
            self.cli_env["ASAN_OPTIONS"] = self.env["ASAN_OPTIONS"] + ":detect_leaks=0"
        self.passphrases = {"admin": self.write("admin.pass", ADMIN_PASSPHRASE + "\n")}

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def run(self, args, user="admin", check=True):
        env = dict(self.cli_env)
        if user in self.passphrases:
            env["BRANKAS_PASSPHRASE_FILE"] = self.passphrases[user]
        done = subprocess.run([self.binary, "--vault", self.vault, "--user", user] + args, env=env,
                              capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise AssertionError(f"brankas {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done

    def enroll(self, name, passphrase, add_args):
        added = json.loads(self.run(["--json", "user", "add", name, "--kdf", "test"] + add_args).stdout)
        code = self.write(name + ".code", added["enrollment_code"] + "\n")
        self.passphrases[name] = self.write(name + ".pass", passphrase + "\n")
        self.run(["user", "enroll", "--code-file", code, "--kdf", "test"], user=name)

    def audit_log(self):
        return json.loads(self.run(["--json", "audit", "log"]).stdout)


def make_district(b):
    """A district of two sub-districts inside a term, one account each (Ponorogo's with a TOTP
    seed), a custodian of Ponorogo and a second one who is disabled in the re-key test."""
    b.run(["init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"])
    b.run(["unit", "add", "35.02.01", "Ponorogo"])
    b.run(["unit", "add", "35.02.02", "Babadan"])
    today = datetime.now(WIB).date()
    b.run(["term", "add", "Pemilu 2029", "--start", str(today - timedelta(days=10)), "--end", str(today + timedelta(days=100))])
    passwords = {}
    for unit, platform, handle, password in (
        ("35.02.01", "instagram", "panwascam.ponorogo", "Rahasia<Kecamatan>&'Ponorogo\"2029"),
        ("35.02.02", "facebook", "panwascam.babadan", "sandi-babadan-9931-xyz"),
    ):
        b.run(["account", "add", "--unit", unit, "--platform", platform, "--handle", handle,
               "--email", handle + "@example.org"])
        args = ["secret", "set", f"{platform}/{handle}", "--from-file", b.write(handle + ".pw", password + "\n")]
        if handle == "panwascam.ponorogo":
            args += ["--totp-file", b.write("totp.txt", "JBSWY3DPEHPK3PXP\n")]
        b.run(args)
        passwords[f"{platform}/{handle}"] = password
    b.enroll("op1", "kebun-teh-gunung-wilis-2029", ["--role", "custodian", "--unit", "35.02.01"])
    b.enroll("op2", "sawah-hijau-di-lereng-lawu-77", ["--role", "custodian", "--unit", "35.02.02"])
    return passwords


def account_id(b, ref):
    for a in json.loads(b.run(["--json", "account", "list"]).stdout):
        if f"{a['platform']}/{a['handle']}" == ref:
            return a["id"]
    raise AssertionError("no account " + ref)


class Server:
    """`brankas serve` on a free loopback port (port 0: the server's log line names it)."""

    def __init__(self, b, extra=(), listen="127.0.0.1:0"):
        self.proc = subprocess.Popen([b.binary, "--vault", b.vault, "serve", "--listen", listen] + list(extra), env=b.env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        deadline = time.monotonic() + 30
        while True:
            line = self.read_line(deadline)
            m = re.search(r"listening on (https?://\S+)", line)
            if m:
                self.url = m.group(1)
                return

    def read_line(self, deadline):
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stderr], [], [], 0.2)
            if ready:
                line = self.proc.stderr.readline()
                if not line:
                    break
                self.lines.append(line)
                return line
            if self.proc.poll() is not None:
                break
        raise AssertionError("the server did not start: " + "".join(self.lines) + self.proc.stderr.read())

    def stop(self):
        """SIGTERM, then the rest of its log; the exit code must be 0."""
        self.proc.send_signal(signal.SIGTERM)
        _, rest = self.proc.communicate(timeout=60)
        self.lines.append(rest)
        if self.proc.returncode != 0:
            raise AssertionError(f"the server exited {self.proc.returncode}: " + "".join(self.lines))
        return "".join(self.lines)
