"""Reads the brankas binary's own help, so that the man page and the bash completion are built
from what the program says about itself and cannot drift from it.

The help is read by its layout, not by its words, so a translated help (LANGUAGE=id) reads the
same way:

    brankas --help              usage line; description; a block of commands; a block of
                                options (the global ones); a block of exit codes; a closing line
    brankas COMMAND --help      usage line; summary; blocks of options, each under a heading
                                line; the global options last

Blocks are separated by blank lines; an option is laid out by Boost.Program_options as
"  --name arg (=default)   description", the description continued on lines indented to its
column.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess

# "--name", "-h [ --help ]", each maybe followed by " arg" and " (=default)"; then the description.
_OPTION = re.compile(
    r"^\s+(?P<spec>(?:-\w \[ )?--?[\w-]+(?: \])?)(?P<arg> arg)?(?P<default> \(=[^)]*\))?(?:\s+(?P<text>.*))?$")
_COMMAND = re.compile(r"^\s+(?P<name>\S+(?: \S+)?)\s{2,}(?P<text>.*)$")
_EXIT_CODE = re.compile(r"^\s+(?P<code>\d+)\s+(?P<text>.*)$")


@dataclasses.dataclass
class Option:
    names: list[str]          # "--help" and "-h", long name first
    takes_value: bool
    default: str | None
    text: str


@dataclasses.dataclass
class OptionGroup:
    heading: str              # "Options for account add:", as printed
    options: list[Option]


@dataclasses.dataclass
class Command:
    name: str                 # "unit add"
    summary: str
    groups: list[OptionGroup]

    def options(self) -> list[Option]:
        return [o for g in self.groups for o in g.options]


@dataclasses.dataclass
class Program:
    usage: str                # the usage line without its first word ("Usage:")
    description: str
    commands: list[tuple[str, str]]   # (name, summary) as listed
    global_options: list[Option]
    exit_codes: list[tuple[int, str]]
    closing: str


def run_help(binary: str, words: list[str], language: str | None) -> str:
    """The help text, in English (language None) or in `language` through the catalogue."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG") and not k.startswith("BRANKAS_")}
    if language is None:
        env["LC_ALL"] = "C"
    else:
        # LANGUAGE is ignored in the plain C locale, so the character set is named too.
        env["LANG"] = "C.UTF-8"
        env["LANGUAGE"] = language
    done = subprocess.run([binary, *words, "--help"], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines)


def _options(lines: list[str]) -> list[Option]:
    """The options of one block (without its heading); continuation lines join the description."""
    options: list[Option] = []
    for line in lines:
        m = _OPTION.match(line)
        # An option starts two columns in; its description continues further in.
        if m and len(line) - len(line.lstrip()) == 2:
            spec = m["spec"]
            names = re.findall(r"--?[\w-]+", spec)
            names.sort(key=lambda n: not n.startswith("--"))
            default = m["default"][3:-1] if m["default"] else None
            options.append(Option(names, bool(m["arg"]), default, (m["text"] or "").strip()))
        elif options:
            options[-1].text = (options[-1].text + " " + line.strip()).strip()
        else:
            raise ValueError(f"not an option line: {line!r}")
    return options


def _without_first_word(line: str) -> str:
    """'Usage: brankas ...' -> 'brankas ...' (the first word may be translated, or two words)."""
    at = line.find("brankas ")
    if at < 0:
        raise ValueError(f"not a usage line: {line!r}")
    return line[at:]


def read_program(binary: str, language: str | None = None) -> Program:
    blocks = _blocks(run_help(binary, [], language))
    usage, description, rest = blocks[0], blocks[1], blocks[2:]
    commands, global_options, exit_codes, closing = [], [], [], ""
    for block in rest:
        heading, entries = block[0], block[1:]
        if not heading.endswith(":"):
            closing = _joined(block)
        elif entries and entries[0].lstrip().startswith("-"):
            global_options = _options(entries)
        elif entries and _EXIT_CODE.match(entries[0]):
            exit_codes = [(int(m["code"]), m["text"].strip()) for m in map(_EXIT_CODE.match, entries)]
        else:
            commands = [(m["name"], m["text"].strip()) for m in map(_COMMAND.match, entries)]
    if not (commands and global_options and exit_codes):
        raise ValueError("brankas --help lacks its commands, its options or its exit codes")
    return Program(_without_first_word(usage[0]), "\n".join(description), commands, global_options,
                   exit_codes, closing)


def read_command(binary: str, name: str, language: str | None = None) -> Command:
    blocks = _blocks(run_help(binary, name.split(), language))
    summary = _joined(blocks[1])
    groups = []
    for block in blocks[2:-1]:   # the last block holds the global options
        groups.append(OptionGroup(block[0], _options(block[1:])))
    return Command(name, summary, groups)


def read_all(binary: str, language: str | None = None) -> tuple[Program, list[Command]]:
    program = read_program(binary, language)
    return program, [read_command(binary, name, language) for name, _ in program.commands]
