#!/usr/bin/python3
"""Prints the ranges of cli/display_width.cpp from the Unicode data of this Python
(unicodedata.unidata_version): the code points a terminal shows in no column (combining
marks Mn and Me, format characters Cf but the soft hyphen U+00AD, the Hangul jamo vowels and
final consonants U+1160-U+11FF that join the syllable before them) and those it shows in two
(East Asian Width W or F). A code point not yet assigned takes the class of its neighbours
when both agree, so the ranges stay few and a block reserved for wide characters stays wide.

    scripts/display_width_table.py > /tmp/ranges.txt   # then paste over the two tables
"""
import unicodedata


def width_class(cp):
    ch = chr(cp)
    category = unicodedata.category(ch)
    if category == "Cn" or category == "Cs":
        return None
    if category in ("Mn", "Me") or (category == "Cf" and cp != 0xAD) or 0x1160 <= cp <= 0x11FF:
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def ranges(wanted):
    found, start, last = [], None, None
    for cp in range(0x110000):
        k = width_class(cp)
        if k is None:
            continue
        if k == wanted:
            if start is None:
                start = cp
            last = cp
        elif start is not None:
            found.append((start, last))
            start = None
    if start is not None:
        found.append((start, last))
    return found


def table(name, found):
    print(f"// {len(found)} ranges, Unicode {unicodedata.unidata_version}")
    print(f"constexpr CodePointRange {name}[] = {{")
    for i in range(0, len(found), 5):
        print("    " + " ".join(f"{{0x{a:05x}, 0x{b:05x}}}," for a, b in found[i:i + 5]))
    print("};")


table("no_column", ranges(0))
table("two_columns", ranges(2))
