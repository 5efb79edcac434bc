# Truthiness of strings and bytes.
def main() -> list[bool]:
    values = ["", " ", "0", "False", "\n"]
    for s in values:
        if s:
            print(f"{s!r} is true")
        else:
            print(f"{s!r} is false")
    print(bool(b""), bool(b"\x00"), not b"", not b"a")
    s = "abc"
    while s:
        s = s[1:]
        print(len(s))
    return [bool(v) for v in values]
