#!/usr/bin/python3
"""Every form of the browser face that a person fills fits the server's limit on a form's body
(`max_form_bytes` in web/form.hpp), read from the templates themselves:

* every field a person types into stops at a maxlength (a value past the vault's limit then reaches
  the vault, whose sentence the form comes back with), except the passphrases of the sign-in and
  enrollment forms, which no limit of ours may cut;
* filled to every maxlength with letters of 3 bytes in UTF-8 (Javanese, Chinese), which a browser
  percent-encodes as 9 bytes each, plus every other field at a generous bound, the form still fits
  the limit: a browser never sends a form of ours that the server answers with 413.

usage: form_limits_test.py SOURCE_DIR
"""

import glob
import os
import re
import sys

BYTES_PER_UNIT = 9  # a UTF-16 code unit of a 3-byte UTF-8 letter, percent-encoded ("%EA%A6%8F")
# Fields whose value the page sets and no person types: each at most this many bytes as sent.
HIDDEN = 200      # csrf (64 hex digits), a person's name, a step's id, a request's number, "1"
CHOSEN = 200      # a select's value: a region code, a platform, a duration
SHORT = 40        # a date, a number, a checkbox's value
UNBOUNDED = {("sign_in.tpl", "passphrase"), ("enroll.tpl", "current"), ("enroll.tpl", "passphrase"), ("enroll.tpl", "repeat")}
# The confirmation page posts again the fields of the form that asked it, and "confirmed=1".
CARRIES_ANOTHER = {"confirm.tpl"}


def attribute(tag, name):
    m = re.search(r'\s' + name + r'="([^"]*)"', tag)
    return m.group(1) if m else None


def worst_case(template, form):
    """The largest body a browser sends for `form`, and the typed fields that have no maxlength."""
    # A name twice in one form stands in two sections of which one shows ({{#REASON_REQUIRED}},
    # {{#REASON_OPTIONAL}}): the larger counts.
    sizes, unbounded = {}, []
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", form):
        name = attribute(tag, "name")
        if name is None:
            continue
        kind = attribute(tag, "type") or ("select" if tag.startswith("<select") else "text")
        if kind == "hidden":
            size = HIDDEN
        elif kind == "select":
            size = CHOSEN
        elif kind in ("date", "number", "checkbox"):
            size = SHORT
        elif attribute(tag, "maxlength") is not None:
            size = int(attribute(tag, "maxlength")) * BYTES_PER_UNIT
        else:
            size = 0
            if (template, name) not in UNBOUNDED:
                unbounded.append(name)
        sizes[name] = max(sizes.get(name, 0), len(name) + 2 + size)  # "name=" and "&"
    return sum(sizes.values()), unbounded


def main():
    source = sys.argv[1]
    header = open(os.path.join(source, "web", "form.hpp"), encoding="utf-8").read()
    m = re.search(r"max_form_bytes\s*=\s*(\d+)\s*\*\s*(\d+)", header)
    assert m, "max_form_bytes not found in web/form.hpp"
    limit = int(m.group(1)) * int(m.group(2))
    largest, problems = ("", 0), []
    for path in sorted(glob.glob(os.path.join(source, "web", "templates", "*.tpl"))):
        template = os.path.basename(path)
        if template in CARRIES_ANOTHER:
            continue
        text = open(path, encoding="utf-8").read()
        for form in re.findall(r'<form method="post".*?</form>', text, re.S):
            action = attribute(form[:form.index(">")], "action")
            total, unbounded = worst_case(template, form)
            if unbounded:
                problems.append(f"{template} {action}: no maxlength on {', '.join(unbounded)}")
            if total > limit:
                problems.append(f"{template} {action}: up to {total} bytes, over the limit of {limit}")
            if total > largest[1]:
                largest = (f"{template} {action}", total)
    assert not problems, "\n".join(problems)
    # The confirmation page's form is the form that asked it plus "&confirmed=1".
    assert largest[1] + len("&confirmed=1") <= limit
    print(f"form limits: the largest form ({largest[0]}) is at most {largest[1]} of {limit} bytes: ok")


if __name__ == "__main__":
    main()
