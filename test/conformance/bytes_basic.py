# bytes literals, len, indexing (gives int), slicing (gives bytes), + and *.
def main() -> list[int]:
    b = b"hello"
    print(len(b), b[0], b[-1], b[1:3], b[::-1], b[::2])
    print(b + b" world", b * 2, b"" * 5, b[10:])
    raw = b"\x00\x01\xfe\xff"
    print(raw[0], raw[2], raw[-1], len(raw))
    print(b"ell" in b, b"xyz" in b, b"" in b)
    return [b[i] for i in range(len(b))]
