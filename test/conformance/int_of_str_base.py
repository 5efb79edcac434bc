# int(text, base) parses other bases as Python does (prefixes allowed for the matching base).
def main() -> list[int]:
    print(int("ff", 16), int("FF", 16), int("-101", 2), int("777", 8), int("z", 36))
    print(int("0x1f", 16), int("0b11", 2), int("0o17", 8), int(" -7f ", 16), int("1_0", 2))
    print(int("10", 3), int("zz", 36), int("0", 7))
    return [int(s, 16) for s in ["0", "a", "-a", "100", "deadbeef"]]
