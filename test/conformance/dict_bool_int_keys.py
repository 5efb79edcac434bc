# int, negative int, bool and bytes keys.
def main() -> list[str]:
    d = {-1: "minus", 0: "zero", 2 ** 200: "big"}
    print(d[-1], d[0], d[2 ** 200], -2 in d)
    flags = {True: "yes", False: "no"}
    print(flags[1 > 0], flags[1 < 0])
    raw = {b"\x00": 0, b"ab": 1}
    print(raw[b"ab"], b"\x00" in raw, raw)
    d[-1] = "changed"
    return [d[k] for k in sorted(d)]
