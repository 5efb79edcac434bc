# isdigit, isalpha, isalnum, isspace, islower, isupper.
def main() -> list[list[bool]]:
    samples = ["123", "abc", "abc123", "   ", "", "ABC", "Abc", "a b", "\t\n", "héllo", "ÉTÉ", "12a", "a1!"]
    table: list[list[bool]] = []
    for s in samples:
        row = [s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.islower(), s.isupper()]
        print(f"{s!r}", row)
        table.append(row)
    print("abc1".islower(), "ABC1".isupper(), "123".islower(), "1A".isupper())
    return table[:3]
