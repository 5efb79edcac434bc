# Comparison and sorting of bytes are lexicographic by byte value.
def main() -> list[bytes]:
    print(b"a" < b"b", b"abc" < b"abd", b"ab" < b"abc", b"" < b"\x00", b"\xff" > b"\x7f")
    print(b"abc" == b"abc", b"abc" != b"ABC", max(b"x", b"y"), min(b"\x01", b"\x00\xff"))
    items = [b"zeta", b"\x00", b"Alpha", b"alpha", b"\xff\x00", b""]
    print(sorted(items, reverse=True))
    return sorted(items)
