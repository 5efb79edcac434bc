# Character classes beyond ASCII for the is* predicates.
def main() -> list[list[bool]]:
    samples = ["²", "½", "٣", "Ⅻ", "ǅ", "ß", "中文", "é1", "\u0301", "😀", "\u00aa", "ﬁ"]
    rows: list[list[bool]] = []
    for s in samples:
        row = [s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.islower(), s.isupper()]
        print(f"{s!r}", row)
        rows.append(row)
    return rows
