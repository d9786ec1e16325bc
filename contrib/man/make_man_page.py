#!/usr/bin/env python3
"""Writes the man page brankas(1) in one language, from the binary's own help (every command
and option, the exit codes) and a hand-written roff file for what the help does not say
(environment, files, examples).

    make_man_page.py --binary build/cli/brankas --language id --sections contrib/man/id.roff \
                     --output build/man/id/brankas.1
"""

import argparse
import datetime
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import cli_help  # noqa: E402

# The words the page itself adds, per language (the rest comes from the help or the .roff file).
WORDS = {
    "en": {
        "name": "a credential vault for the shared accounts of an institution",
        "manual": "Brankas manual",
        "NAME": "NAME", "SYNOPSIS": "SYNOPSIS", "DESCRIPTION": "DESCRIPTION",
        "OPTIONS": "GLOBAL OPTIONS", "COMMANDS": "COMMANDS", "EXIT STATUS": "EXIT STATUS",
    },
    "id": {
        "name": "brankas kredensial untuk akun bersama sebuah lembaga",
        "manual": "Panduan Brankas",
        "NAME": "NAMA", "SYNOPSIS": "RINGKASAN", "DESCRIPTION": "DESKRIPSI",
        "OPTIONS": "OPSI UMUM", "COMMANDS": "PERINTAH", "EXIT STATUS": "STATUS KELUAR",
    },
}


def escaped(text: str) -> str:
    """Text as roff prints it: backslashes and hyphens kept, no line read as a request."""
    lines = []
    for line in text.replace("\\", "\\e").replace("-", "\\-").split("\n"):
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def option_item(option: cli_help.Option) -> str:
    names = ", ".join(f"\\fB{escaped(n)}\\fR" for n in option.names)
    if option.takes_value:
        names += " \\fIarg\\fR"
    if option.default is not None:
        names += f" (={escaped(option.default)})"
    return f".TP\n{names}\n{escaped(option.text)}\n"


def page(binary: str, language: str, sections: str, date: str) -> str:
    words = WORDS[language]
    program, commands = cli_help.read_all(binary, None if language == "en" else language)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    out = [
        f'.\\" brankas(1), generated from the help of {version} by contrib/man/make_man_page.py.\n',
        f'.TH BRANKAS 1 "{date}" "{escaped(version)}" "{words["manual"]}"\n',
        f'.SH {words["NAME"]}\nbrankas \\- {escaped(words["name"])}\n',
        f'.SH {words["SYNOPSIS"]}\n.B brankas\n{escaped(program.usage.removeprefix("brankas "))}\n',
        f'.SH {words["DESCRIPTION"]}\n{escaped(program.description)}\n.PP\n{escaped(program.closing)}\n',
        f'.SH "{words["OPTIONS"]}"\n',
        *(option_item(o) for o in program.global_options),
        f'.SH {words["COMMANDS"]}\n',
    ]
    for command in commands:
        out.append(f'.SS "{escaped(command.name)}"\n{escaped(command.summary)}\n')
        for group in command.groups:
            if group.options:
                out.append(f".PP\n{escaped(group.heading)}\n")
                out.extend(option_item(o) for o in group.options)
    out.append(f'.SH "{words["EXIT STATUS"]}"\n')
    out.extend(f".TP\n.B {code}\n{escaped(text)}\n" for code, text in program.exit_codes)
    out.append(sections if sections.endswith("\n") else sections + "\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--language", choices=sorted(WORDS), required=True)
    parser.add_argument("--sections", required=True, help="roff file with the sections after EXIT STATUS")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    # A reproducible date: the one the build is pinned to, else today.
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", datetime.datetime.now(datetime.timezone.utc).timestamp()))
    date = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d")
    text = page(args.binary, args.language, pathlib.Path(args.sections).read_text(encoding="utf-8"), date)
    pathlib.Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
