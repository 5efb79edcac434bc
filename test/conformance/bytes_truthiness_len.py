# Building bytes by concatenation, checking emptiness and lengths.
def pad(b: bytes, n: int) -> bytes:
    while len(b) < n:
        b = b"\x00" + b
    return b


def main() -> list[bytes]:
    parts = [b"ab", b"", b"cd"]
    acc = b""
    for p in parts:
        if p:
            acc += p
        else:
            acc += b"-"
    print(acc, len(acc), not b"", bool(acc))
    print(pad(b"\x01", 4), pad(b"long enough", 3))
    return [pad(b"", 2), acc[1:-1], acc * 0]
