# reverts: index out of range
def main() -> int:
    b = b"ab"
    print(b[1])
    return b[2]
