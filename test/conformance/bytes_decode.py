# decode UTF-8 bytes into text.
def main() -> list[str]:
    a = b"plain ascii"
    b = b"caf\xc3\xa9"
    c = b"\xf0\x9f\x98\x80 smile"
    print(a.decode(), b.decode(), c.decode())
    print(len(b), len(b.decode()), len(c), len(c.decode()))
    joined = (a + b" " + b).decode()
    print(joined.upper())
    return [x.decode() for x in [a, b, c, b""]]
