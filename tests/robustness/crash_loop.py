#!/usr/bin/env python3
"""The crash loop: write commands killed with SIGKILL at random moments.

Each run starts one write command (checkout, secret set, import csv, user disable --rekey) on
a vault and kills it after a random delay: before it opened the vault, while it wrote, after it
committed, or not at all when it finished first. Then the vault must open (status), verify
(audit verify), and still hold every event that was ever seen in its log, in order and
unchanged; a command that reported success (exit 0, or the output it prints only after its
commit) must have its event there. At the end, a last keyring writer must leave no temporary
keyring file behind.

    tests/robustness/crash_loop.py build/cli/brankas                # 30 runs (what the suite runs)
    tests/robustness/crash_loop.py build/cli/brankas --runs 500     # by hand, longer
    tests/robustness/crash_loop.py build/cli/brankas --seed 1234    # the runs of an earlier seed again

Exit status 0 when every run held, 1 with the first run that did not.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from scratch_vault import Failure, Vault

def one_run(vault, rng, kind, delay_s):
    """Prepares, starts and (maybe) kills one write command; returns (args, expected action, outcome)."""
    account = f"instagram/akun{rng.randrange(6)}"
    if kind == "checkout":
        vault.run(["checkin", account], ok=None)  # so the check-out is not refused as held already
        args, action = ["checkout", account, "--reason", "unggah hasil pengawasan"], "checkout"
    elif kind == "secret set":
        args, action = ["secret", "set", account, "--generate", "--reason", "ganti berkala"], "secret.set"
    elif kind == "import":
        args, action = ["import", "csv", vault.import_file()], "import"
    else:
        args, action = ["user", "disable", vault.new_custodian(), "--rekey"], "user.disable"
    started = time.monotonic()
    p = vault.start(args)
    try:
        out, err = p.communicate(timeout=delay_s)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        killed = True
    return args, action, {"killed": killed, "code": p.returncode, "out": out, "err": err,
                          "seconds": time.monotonic() - started}


def same_event(a, b):
    return all(a.get(k) == b.get(k) for k in ("seq", "time", "actor", "action", "target", "details"))


def check_after(vault, seen, action, outcome):
    """The vault opens and verifies; every event seen before is still there; a reported commit is in the log."""
    status = vault.run(["status"], ok=None)
    if status.returncode != 0:
        raise Failure(f"the vault does not open: status exited {status.returncode}: {status.stderr.strip()}")
    verify = vault.run(["audit", "verify"], ok=None)
    if verify.returncode != 0:
        raise Failure(f"audit verify exited {verify.returncode}: {verify.stdout.strip()} {verify.stderr.strip()}")
    events = vault.events()
    if len(events) < len(seen) or not all(same_event(a, b) for a, b in zip(seen, events)):
        lost = next((a for a, b in zip(seen, events) if not same_event(a, b)), seen[len(events)] if len(events) < len(seen) else None)
        raise Failure(f"an event seen in the log is gone or changed: {lost}")
    reported = outcome["code"] == 0 or (outcome["killed"] and outcome["out"].strip() != "")
    new = events[len(seen):]
    if reported and not any(e["action"] == action for e in new):
        raise Failure(f"the command reported its {action} as done, and the log has no such event after seq {len(seen)}")
    if not outcome["killed"] and outcome["code"] != 0:
        raise Failure(f"it exited {outcome['code']} without being killed: {outcome['err'].strip()}")
    return events, reported


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("brankas", help="the brankas binary")
    parser.add_argument("--runs", type=int, default=30, help="how many commands to kill (default 30)")
    parser.add_argument("--seed", type=int, help="repeat the runs of this seed")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    kinds = ["checkout", "secret set", "import", "user disable --rekey"]
    print(f"crash loop: {options.runs} runs, seed {seed} (--seed {seed} repeats them)", flush=True)

    with tempfile.TemporaryDirectory(prefix="brankas-crash-") as work:
        vault = Vault(options.brankas, work)
        started = time.monotonic()
        tally = {"killed": 0, "finished": 0, "reported": 0}
        try:
            vault.setup()
            seen = vault.events()
            # How long each kind takes when left alone: the kills spread over that time, and a bit
            # past it, so that some land after the commit and some commands finish.
            duration = {}
            for kind in kinds:
                args, action, outcome = one_run(vault, rng, kind, 30.0)
                seen, _ = check_after(vault, seen, action, outcome)
                duration[kind] = max(outcome["seconds"], 0.02)
            for run in range(1, options.runs + 1):
                kind = kinds[rng.randrange(len(kinds))]
                delay = rng.uniform(0, 1.2 * duration[kind])
                args, action, outcome = one_run(vault, rng, kind, delay)
                try:
                    seen, reported = check_after(vault, seen, action, outcome)
                except Failure as e:
                    raise Failure(f"run {run} ({' '.join(args)}, killed after {delay * 1000:.0f} ms: "
                                  f"{'killed' if outcome['killed'] else 'finished'}): {e}") from None
                tally["killed" if outcome["killed"] else "finished"] += 1
                tally["reported"] += reported
            # The next writer of the keyring removes what a writer killed at its rename left.
            vault.new_custodian()
            left = [f for f in os.listdir(vault.dir) if f.startswith("keyring.tmp-")]
            if left:
                raise Failure(f"temporary keyring files left after a keyring writer: {left}")
        except Failure as e:
            print(f"crash loop: FAILED (seed {seed}): {e}", file=sys.stderr)
            return 1
        print(f"crash loop: {options.runs} runs in {time.monotonic() - started:.1f} s: {tally['killed']} killed, "
              f"{tally['finished']} finished first, {tally['reported']} reported a commit; {len(seen)} events, "
              f"all kept; the vault opens and verifies after every run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
