# encode gives UTF-8 bytes; decode reverses it.
def main() -> list[bytes]:
    a = "abc".encode()
    b = "é".encode()
    c = "😀".encode()
    d = "中文".encode()
    print(a, b, c, d)
    print(len(a), len(b), len(c), len(d), len("😀"), len("中文"))
    print(c.decode() == "😀", d.decode(), b.hex(), "".encode() == b"")
    return [a + b, c[:2], "héllo".encode()]
