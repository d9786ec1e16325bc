#!/usr/bin/env python3
"""Writes the bash completion of brankas from its template and the binary's own help: the
commands and subcommands, each command's options, which options take a value, and the fixed
words some values are chosen from.

    make_completion.py --binary build/cli/brankas --template contrib/bash-completion/brankas.in \
                       --output build/contrib/brankas.bash
"""

import argparse
import pathlib
import re
import shlex
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import cli_help  # noqa: E402

# How an option's value is completed: a file, a directory, or one of fixed words. "COMMAND
# --option" applies to that command only. Every word must appear in that option's help (the
# build stops otherwise), so this table cannot fall behind the program unnoticed.
VALUES = {
    "--vault": "@dir",
    "--out-dir": "@dir",
    "backup restore --to": "@dir",
    "--passphrase-file": "@file",
    "--new-passphrase-file": "@file",
    "--keyfile": "@file",
    "--code-file": "@file",
    "--from-file": "@file",
    "--totp-file": "@file",
    "--recovery-file": "@file",
    "--notes-file": "@file",
    "--share-file": "@file",
    "--checkpoint": "@file",
    "--out": "@file",
    "--file": "@file",
    "audit verify --since": "@file",
    "--role": "admin custodian auditor",
    "--platform": "instagram facebook x tiktok youtube threads email other",
    "--kdf": "interactive moderate sensitive",
    "--status": "active deactivated archived",
    "--format": "md html",
    "--action": None,  # too many to be useful here; left to the person
}


def bash_words(words: list[str]) -> str:
    return shlex.quote(" ".join(words))


def first_argument(command: cli_help.Command) -> str | None:
    """The completion of a command's first argument, read from its heading ("Arguments of
    policy check: FILE:", "Options for recovery unlock [...] reset-passphrase|enroll-admin NAME:")."""
    for group in command.groups:
        at = group.heading.find(command.name)
        if at < 0:
            continue
        rest = group.heading[at + len(command.name):].strip().strip(":").split()
        positional = [w for w in rest if not w.startswith(("[", "-", "(")) and not w.endswith(("]", "]..."))]
        if not positional:
            return None
        if positional[0] == "FILE":
            return "@file"
        if "|" in positional[0]:
            return " ".join(positional[0].split("|"))
        return None
    return None


def check_values(program: cli_help.Program, commands: list[cli_help.Command]) -> None:
    texts: dict[str, list[str]] = {}
    for command in commands:
        for option in command.options():
            texts.setdefault(option.names[0], []).append(option.text)
    for option in program.global_options:
        texts.setdefault(option.names[0], []).append(option.text)
    for key, kind in VALUES.items():
        name = key.split()[-1]
        if name not in texts:
            sys.exit(f"make_completion.py: no command has the option {name} any more")
        if kind and not kind.startswith("@"):
            for word in kind.split():
                if not any(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", t) for t in texts[name]):
                    sys.exit(f"make_completion.py: the help of {name} no longer names '{word}'")


def tables(binary: str) -> str:
    program, commands = cli_help.read_all(binary)
    check_values(program, commands)
    first_words: list[str] = []
    subcommands: dict[str, list[str]] = {}
    for command in commands:
        head, _, sub = command.name.partition(" ")
        if head not in first_words:
            first_words.append(head)
        if sub:
            subcommands.setdefault(head, []).append(sub)
    value_options = sorted({n for o in program.global_options if o.takes_value for n in o.names} |
                           {n for c in commands for o in c.options() if o.takes_value for n in o.names})
    lines = [
        "# Generated at build time from `brankas --help` and each command's --help.",
        f"_brankas_commands={bash_words(first_words)}",
        f"_brankas_global_options={bash_words([o.names[0] for o in program.global_options])}",
        f"_brankas_value_options={bash_words(value_options)}",
        "declare -gA _brankas_subcommands=(",
        *(f"    [{shlex.quote(k)}]={bash_words(v)}" for k, v in subcommands.items()),
        ")",
        "declare -gA _brankas_options=(",
        *(f"    [{shlex.quote(c.name)}]={bash_words([o.names[0] for o in c.options()])}" for c in commands),
        ")",
        "declare -gA _brankas_values=(",
        *(f"    [{shlex.quote(k)}]={shlex.quote(v)}" for k, v in VALUES.items() if v),
        ")",
        "declare -gA _brankas_first_argument=(",
        *(f"    [{shlex.quote(c.name)}]={shlex.quote(a)}" for c in commands if (a := first_argument(c))),
        ")",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    template = pathlib.Path(args.template).read_text(encoding="utf-8")
    if "@BRANKAS_COMPLETION_TABLES@" not in template:
        sys.exit("make_completion.py: the template has no @BRANKAS_COMPLETION_TABLES@")
    text = template.replace("@BRANKAS_COMPLETION_TABLES@", tables(args.binary))
    pathlib.Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
