# zfill pads with zeros after a leading sign.
def main() -> list[str]:
    print("42".zfill(5), "-42".zfill(5), "+42".zfill(5), "42".zfill(1), "".zfill(3))
    print("abc".zfill(6), "-".zfill(3), "12345".zfill(5))
    return [str(n).zfill(4) for n in [7, -7, 1234, -12345]]
