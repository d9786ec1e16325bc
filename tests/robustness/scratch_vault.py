"""A throwaway vault the robustness tests drive through the real binary (crash_loop.py,
io_faults.py, disk_full.py): the test key derivation, a few sub-districts and accounts, people
enrolled with passphrases of their own."""

import json
import os
import subprocess

PASSPHRASE = "kuda-lari-di-sawah-hijau-2029"
UNITS = ["35.02.01", "35.02.02", "35.02.03"]


class Failure(Exception):
    pass


class Vault:
    def __init__(self, brankas, work, vault_dir=None):
        self.brankas = os.path.abspath(brankas)
        self.work = work  # the passphrase files and inputs
        self.dir = vault_dir or os.path.join(work, "v")
        self.admin_pass = self.private_file("admin.pass", PASSPHRASE + "\n")
        self.env = {"PATH": "/usr/bin:/bin", "TZ": "UTC", "BRANKAS_ALLOW_TEST_KDF": "1"}
        self.people = 0
        self.imports = 0

    def private_file(self, name, text):
        path = os.path.join(self.work, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        return path

    def argv(self, args, user):
        return [self.brankas, "--vault", self.dir, "--user", user] + args

    def environment(self, pass_file):
        env = dict(self.env)
        env["BRANKAS_PASSPHRASE_FILE"] = pass_file or self.admin_pass
        return env

    def run(self, args, user="admin", pass_file=None, ok=(0,), env=None):
        """Runs a command to its end; `ok`: the exit codes that are not a failure (None: any)."""
        p = subprocess.run(self.argv(args, user), env={**self.environment(pass_file), **(env or {})}, capture_output=True,
                           text=True)
        if ok is not None and p.returncode not in ok:
            raise Failure(f"brankas {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
        return p

    def start(self, args):
        return subprocess.Popen(self.argv(args, "admin"), env=self.environment(None), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def setup(self):
        self.run(["init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"])
        for code in UNITS:
            self.run(["unit", "add", code, "Kecamatan " + code])
        self.run(["term", "add", "Pemilu", "--start", "2020-01-01", "--end", "2099-12-31"])
        for i in range(6):
            self.run(["account", "add", "--unit", UNITS[i % 3], "--platform", "instagram", "--handle", f"akun{i}", "--generate"])

    def new_custodian(self):
        """A custodian of a unit, enrolled with a passphrase of their own: disabling one rotates a unit."""
        self.people += 1
        name = f"petugas{self.people}"
        added = json.loads(self.run(["--json", "user", "add", name, "--role", "custodian", "--unit", UNITS[self.people % 3],
                                     "--kdf", "test"]).stdout)
        code = self.private_file(name + ".code", added["enrollment_code"] + "\n")
        pass_file = self.private_file(name + ".pass", f"kebun-teh-gunung-wilis-{self.people:04d}-petugas\n")
        self.run(["user", "enroll", "--code-file", code, "--kdf", "test"], user=name, pass_file=pass_file)
        return name

    def import_file(self):
        self.imports += 1
        rows = "".join(f"{UNITS[j % 3]},Kecamatan {UNITS[j % 3]},facebook,impor{self.imports}x{j},sandi-{self.imports}-{j}\n"
                       for j in range(5))
        return self.private_file(f"impor{self.imports}.csv", "Kode,Kecamatan,Platform,Username,Password\n" + rows)

    def events(self):
        p = self.run(["audit", "log", "--jsonl"])
        return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
