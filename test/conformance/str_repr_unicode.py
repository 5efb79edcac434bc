# repr escapes non-printable Unicode (separators, format and private-use characters) and keeps
# printable text, as CPython's str.isprintable() decides.
def main() -> list[str]:
    items = ["\xa0", "\xad", "\u200b", "\u2028", "\u3000", "\ufeff", "\U000e0001", "\ue000", "\x80", "\x9f"]
    for s in items:
        print(f"{s!r}", len(s))
    keep = ["é", "ß", "Ω", "中", "😀", "\u0301", "a\u0301", "\U0001f1eb", "\u00a9", "\u2603"]
    print(keep)
    return items + keep
