# Slicing bytes with steps, and indexing results as ints.
def main() -> list[int]:
    b = bytes.fromhex("00112233445566778899")
    print(b[2:5], b[::3], b[::-1], b[-3:], b[8:2:-2], b[100:])
    print(b[1] + b[2], b[-1] - b[0], b[5:6] == b"\x55")
    chunks = [b[i:i + 4] for i in range(0, len(b), 4)]
    print(chunks)
    return [b[i] for i in range(0, len(b), 2)]
