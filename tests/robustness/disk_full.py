#!/usr/bin/env python3
"""A full disk: every write command on a vault that lives on a small tmpfs, at several levels
of free space.

Each case starts from the same vault, fills the tmpfs until only so many bytes are free, and
runs one command. It may succeed (exit 0) or fail, but a failure must be a clean one: exit 13
("a file could not be read or written"), the log and the keyring as they were, no file or
directory left behind. Then the space is freed, and the vault must open and `audit verify` must
pass. A command that exits 0 must have done what it says: a backup it reports exists and
verifies.

Mounting a tmpfs needs root (or an unprivileged user namespace): the script runs itself again
in a private mount namespace (unshare), and says it was skipped, with exit status 77, where it
cannot.

    tests/robustness/disk_full.py build/cli/brankas                        # what the suite runs
    tests/robustness/disk_full.py build/cli/brankas --free 0,4096,65536    # other levels, by hand

"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from scratch_vault import Failure, Vault

SKIPPED = 77  # ctest's SKIP_RETURN_CODE
TMPFS_SIZE = 8 << 20
# The last level leaves room for a backup, so its success is checked too.
DEFAULT_FREE = [0, 16 << 10, 64 << 10, 256 << 10, 1 << 20]



def inside_private_mount_namespace(argv):
    """Runs this script again under unshare with a private mount namespace; None if it cannot."""
    if os.environ.get("BRANKAS_DISK_FULL_NAMESPACE") == "1":
        return None
    env = dict(os.environ, BRANKAS_DISK_FULL_NAMESPACE="1")
    ways = [["unshare", "--mount", "--propagation", "private"]] if os.geteuid() == 0 else []
    ways.append(["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"])
    for way in ways:
        if shutil.which(way[0]) and subprocess.run(way + ["true"], capture_output=True).returncode == 0:
            return subprocess.run(way + [sys.executable, os.path.abspath(__file__)] + argv, env=env).returncode
    print("disk full: skipped: cannot make a private mount namespace to mount a tmpfs in (needs root, or user namespaces)")
    return SKIPPED


def mount_tmpfs(where):
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "tmpfs", where], capture_output=True,
                       text=True)
    return p.returncode == 0, p.stderr.strip()


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(mount, leave):
    """A file that takes all the space but `leave` bytes; returns its path."""
    filler = os.path.join(mount, "filler")
    want = free_bytes(mount) - leave
    if want > 0:
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.posix_fallocate(fd, 0, want)
        finally:
            os.close(fd)
    return filler


def listing(root):
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            out.add(os.path.relpath(os.path.join(dirpath, name), root))
    return out


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class Cases:
    """The commands, each with what it needs from the starting vault."""

    def __init__(self, vault, mount):
        self.vault, self.mount = vault, mount
        self.new_pass = vault.private_file("new.pass", "sungai-madiun-mengalir-pelan-2031\n")
        self.policy = vault.private_file("policy.toml", '[checkout]\nmax_duration = "4h"\n')
        self.csv = vault.import_file()
        # The term added is next year's, whatever the day the script runs: one whose end is past
        # is refused (exit 2), whatever the disk does.
        self.term_year = datetime.date.today().year + 1

    def all(self, custodian):
        m, y = self.mount, self.term_year
        return {
            "init": (["init", "--institution", "Bawaslu Kabupaten Madiun", "--kdf", "test"], os.path.join(m, "baru")),
            "unit add": (["unit", "add", "35.19.01", "Madiun"], None),
            "account add": (["account", "add", "--unit", "35.02.01", "--platform", "tiktok", "--handle", "baru", "--generate"], None),
            "secret set": (["secret", "set", "instagram/akun0", "--generate", "--reason", "ganti"], None),
            "checkout": (["checkout", "instagram/akun0", "--reason", "unggah"], None),
            "checkin": (["checkin", "instagram/akun1"], None),
            "rotate": (["rotate", "instagram/akun2", "--reason", "ganti berkala"], None),
            "term add": (["term", "add", f"Pilkada {y}", "--start", f"{y}-01-01", "--end", f"{y}-12-31"], None),
            "user add": (["user", "add", "auditor9", "--role", "auditor", "--kdf", "test"], None),
            "user passwd": (["user", "passwd", "--new-passphrase-file", self.new_pass, "--kdf", "test"], None),
            "user disable --rekey": (["user", "disable", custodian, "--rekey"], None),
            "unit rotate": (["unit", "rotate", "35.02.01", "--reason", "kunci diganti"], None),
            "policy set": (["policy", "set", self.policy], None),
            "import csv": (["import", "csv", self.csv], None),
            "backup create": (["backup", "create", os.path.join(m, "cadangan.bundle")], None),
            "audit checkpoint": (["audit", "checkpoint", "--out", os.path.join(m, "titik.chk")], None),
        }


def run_case(vault, pristine, mount, name, args, other_vault, leave, passwd_after):
    """Returns the list of what the case broke (empty when it held), and the finished process.
    After a `user passwd` that succeeded, the admin's passphrase is `passwd_after`'s."""
    for entry in os.listdir(mount):
        path = os.path.join(mount, entry)
        shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
    shutil.copytree(pristine, vault.dir)
    os.chmod(vault.dir, 0o700)
    before_files = listing(mount)
    keyring_before = read_bytes(os.path.join(vault.dir, "keyring"))
    events_before = vault.events()
    filler = fill(mount, leave)
    if other_vault:  # init makes a vault of its own
        p = subprocess.run([vault.brankas, "--vault", other_vault, "--user", "admin"] + args, env=vault.environment(None),
                           capture_output=True, text=True)
    else:
        p = vault.run(args, ok=None)
    os.unlink(filler)
    broke = []
    if p.returncode not in (0, 13):
        broke.append(f"exit {p.returncode}")
    if p.returncode != 0:
        if read_bytes(os.path.join(vault.dir, "keyring")) != keyring_before:
            broke.append("the keyring changed")
        # The store's WAL and shared memory are SQLite's to clean up, at the next close.
        left = {f for f in listing(mount) - before_files if os.path.basename(f) not in ("store.db-wal", "store.db-shm")}
        if left:
            broke.append("files left behind: " + ", ".join(sorted(left)))
    if p.returncode == 0 and name == "backup create":
        bundle = args[2]
        if not os.path.isfile(bundle):
            broke.append("it reported a backup that does not exist")
        elif vault.run(["backup", "verify", bundle], ok=None).returncode != 0:
            broke.append("the backup it reported does not verify")
    if p.returncode == 0 and name == "user passwd":
        vault.admin_pass, passwd_before = passwd_after, vault.admin_pass
    status = vault.run(["status"], ok=None)
    if status.returncode != 0:
        broke.append(f"the vault does not open after the space is freed (status exited {status.returncode})")
    elif p.returncode != 0 and vault.events() != events_before:
        broke.append("the log changed")
    verify = vault.run(["audit", "verify"], ok=None)
    if verify.returncode != 0:
        broke.append(f"audit verify exited {verify.returncode} after the space was freed")
    if p.returncode == 0 and name == "user passwd":
        vault.admin_pass = passwd_before
    return broke, p


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("brankas", help="the brankas binary")
    parser.add_argument("--free", help="the levels of free space to try, in bytes, comma-separated (default "
                                       + ",".join(str(f) for f in DEFAULT_FREE) + ")")
    options = parser.parse_args(argv)
    levels = [int(x) for x in options.free.split(",")] if options.free else DEFAULT_FREE

    outer = inside_private_mount_namespace(argv)
    if outer is not None:
        return outer

    with tempfile.TemporaryDirectory(prefix="brankas-disk-full-") as work:
        mount = os.path.join(work, "tmpfs")
        os.mkdir(mount)
        mounted, why = mount_tmpfs(mount)
        if not mounted:
            print(f"disk full: skipped: cannot mount a tmpfs: {why}")
            return SKIPPED
        try:
            started = time.monotonic()
            vault = Vault(options.brankas, work, vault_dir=os.path.join(mount, "v"))
            vault.setup()
            custodian = vault.new_custodian()
            vault.run(["checkout", "instagram/akun1", "--reason", "awal"])
            pristine = os.path.join(work, "pristine")
            shutil.copytree(vault.dir, pristine)
            cases_made = Cases(vault, mount)
            cases = cases_made.all(custodian)
            print(f"disk full: {len(cases)} write commands at {len(levels)} levels of free space "
                  f"({', '.join(f'{x // 1024} KiB' for x in levels)}) on a {TMPFS_SIZE >> 20} MiB tmpfs", flush=True)
            unexpected = []
            outcomes = {}
            for name, (args, other_vault) in cases.items():
                for leave in levels:
                    broke, p = run_case(vault, pristine, mount, name, args, other_vault, leave, cases_made.new_pass)
                    outcomes.setdefault(name, []).append(p.returncode)
                    for what in broke:
                        said = p.stderr.strip().splitlines()[0] if p.stderr.strip() else "no message"
                        unexpected.append(f"{name} with {leave // 1024} KiB free: {what} ({said})")
            for name, codes in outcomes.items():
                print(f"  {name:22} exits {' '.join(str(c) for c in codes)}")
            if unexpected:
                for line in unexpected:
                    print(f"disk full: FAILED: {line}", file=sys.stderr)
                return 1
            print(f"disk full: every case held (done, or a clean exit 13 with nothing changed or left behind; the "
                  f"vault verifies once space is freed) in {time.monotonic() - started:.1f} s")
            return 0
        except Failure as e:
            print(f"disk full: FAILED: {e}", file=sys.stderr)
            return 1
        finally:
            subprocess.run(["umount", mount], capture_output=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
