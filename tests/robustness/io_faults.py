#!/usr/bin/env python3
"""I/O errors are reported as I/O errors: commands run under injected file-system failures.

Each run executes one command (a mix of writers and readers: checkout, checkin, secret set and
show, rotate, import, user add and disable --rekey, unit rotate, backup create, audit
checkpoint and verify, status) with io_faults.so preloaded, which makes a fraction of the
reads, writes, syncs and truncations of the vault's files fail with EIO or ENOSPC. A command
may succeed or fail, but a failure caused by the disk must say so: exit 13 ("a file could not
be read or written", naming the file and the operation), never 1 ("internal error"), 7 (the
keyring is malformed), 8 ("the store is corrupted or was tampered with") or 14 (locked by
another process). Without the faults, the vault then opens and `audit verify` passes.

    tests/robustness/io_faults.py build/cli/brankas build/tests/libbrankas_io_faults.so
    tests/robustness/io_faults.py ... --runs 1000 --rate 0.05     # by hand, longer
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time

from scratch_vault import Failure, Vault

# The refusals a command may give whatever the disk does, once an earlier command did or did not
# get through: "is not checked out" (17, a conflict with the account's state), "you already hold
# it" (10), and "has a pending rotation" (2, as the secret commands report it).
EXPECTED = {0, 2, 10, 13, 17}
FILE_ERROR = re.compile(r"cannot (read|write|sync|truncate|open|delete|close|size|lock|unlock|map the shared memory of|"
                        r"unmap the shared memory of|create|replace) \S")


def command(vault, rng, n):
    account = f"instagram/akun{rng.randrange(6)}"
    choices = [
        ["checkout", account, "--reason", "unggah"],
        ["checkin", account],
        ["secret", "set", account, "--generate", "--reason", "ganti"],
        ["secret", "show", account, "--reason", "periksa"],
        ["rotate", account, "--reason", "ganti berkala"],
        ["import", "csv", vault.import_file()],
        ["user", "add", f"auditor{n}", "--role", "auditor", "--kdf", "test"],
        ["unit", "rotate", "35.02.01", "--reason", "kunci diganti"],
        ["backup", "create", os.path.join(vault.work, f"cadangan{n}.bundle")],
        ["audit", "checkpoint", "--out", os.path.join(vault.work, f"titik{n}.chk")],
        ["audit", "verify"],
        ["status"],
        "disable",
    ]
    chosen = choices[rng.randrange(len(choices))]
    if chosen == "disable":
        chosen = ["user", "disable", vault.new_custodian(), "--rekey"]
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("brankas", help="the brankas binary")
    parser.add_argument("library", help="io_faults.so, the library that makes I/O fail")
    parser.add_argument("--runs", type=int, default=60, help="how many commands to run under faults (default 60)")
    parser.add_argument("--rate", type=float, default=0.03, help="the chance that one I/O call fails (default 0.03)")
    parser.add_argument("--seed", type=int, help="repeat the runs of this seed")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    print(f"I/O faults: {options.runs} commands, {options.rate:.0%} of file I/O failing, seed {seed}", flush=True)
    library = os.path.abspath(options.library)

    with tempfile.TemporaryDirectory(prefix="brankas-faults-") as work:
        vault = Vault(options.brankas, work)
        started = time.monotonic()
        codes = {}
        try:
            vault.setup()
            for n in range(1, options.runs + 1):
                args = command(vault, rng, n)
                faults = f"rate={options.rate},seed={rng.randrange(1 << 31)},calls=write+fsync+read+truncate," \
                         f"errno=EIO+ENOSPC,path={vault.dir}"
                p = vault.run(args, ok=None, env={"LD_PRELOAD": library, "BRANKAS_IO_FAULTS": faults})
                codes[p.returncode] = codes.get(p.returncode, 0) + 1
                where = f"run {n}: brankas {' '.join(args)} (BRANKAS_IO_FAULTS={faults})"
                if p.returncode not in EXPECTED:
                    raise Failure(f"{where} exited {p.returncode}: {p.stderr.strip()}")
                if p.returncode == 13 and not FILE_ERROR.search(p.stderr):
                    raise Failure(f"{where}: an I/O error that names no file and operation: {p.stderr.strip()}")
            # Without faults: whatever was left half done (a re-key) is finished, and all verifies.
            vault.run(["status"])
            verify = vault.run(["audit", "verify"], ok=None)
            if verify.returncode != 0:
                raise Failure(f"after the faults, audit verify exited {verify.returncode}: {verify.stdout.strip()} {verify.stderr.strip()}")
        except Failure as e:
            print(f"I/O faults: FAILED (seed {seed}): {e}", file=sys.stderr)
            return 1
        summary = ", ".join(f"exit {code}: {count}" for code, count in sorted(codes.items()))
        print(f"I/O faults: {options.runs} commands in {time.monotonic() - started:.1f} s ({summary}); "
              f"every failure was an I/O error naming its file, and the vault verifies after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
