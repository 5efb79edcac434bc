# hex() and bytes.fromhex round trips.
def main() -> list[bytes]:
    b = b"\xde\xad\xbe\xef"
    print(b.hex(), b"".hex(), b"\x00\x0f".hex())
    c = bytes.fromhex("deadbeef")
    print(c == b, c)
    print(bytes.fromhex("00ff10"), bytes.fromhex("DEADbeef"), bytes.fromhex(""))
    print(bytes.fromhex("00 ff 10"), bytes.fromhex(b.hex()) == b)
    return [bytes.fromhex("41"), bytes.fromhex("e282ac"), "zv".encode()]
