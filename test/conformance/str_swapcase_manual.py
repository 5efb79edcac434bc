# Toggling ASCII case with chr/ord and bit operations.
def swap(s: str) -> str:
    out = ""
    for c in list(s):
        if c.isalpha() and ord(c) < 128:
            out += chr(ord(c) ^ 32)
        else:
            out += c
    return out


def main() -> list[str]:
    print(swap("Hello, World!"), swap(swap("Round Trip")) == "Round Trip")
    print(swap("é and É stay"), swap("123"))
    return [swap(w) for w in ["abc", "ABC", "aBc", ""]]
