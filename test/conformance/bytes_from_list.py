# bytes(list of ints) builds a byte string; indexing gives the ints back.
def main() -> list[bytes]:
    b = bytes([104, 105, 0, 255])
    print(b, len(b), b[0], b[-1], b.hex())
    codes = [ord(c) for c in "zv"]
    z = bytes(codes)
    print(z, z.decode(), z == "zv".encode())
    empty: list[int] = []
    print(bytes(empty), bytes(empty) == b"")
    back = [b[i] for i in range(len(b))]
    print(back, bytes(back) == b)
    return [b, z, bytes([i * 16 for i in range(4)])]
