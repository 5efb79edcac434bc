# Run-length encoding and decoding of strings.
def encode(s: str) -> str:
    if not s:
        return ""
    out = ""
    prev = s[0]
    count = 1
    for c in list(s[1:]):
        if c == prev:
            count += 1
        else:
            out += str(count) + prev
            prev = c
            count = 1
    return out + str(count) + prev


def decode(s: str) -> str:
    out = ""
    num = ""
    for c in list(s):
        if c.isdigit():
            num += c
        else:
            out += c * int(num)
            num = ""
    return out


def main() -> list[str]:
    samples = ["aaabccdddd", "", "x", "abc", "zzzzzzzzzzzz😀😀"]
    for s in samples:
        e = encode(s)
        print(f"{s!r} -> {e!r}", decode(e) == s)
    return [encode(s) for s in samples]
