# int() strips Unicode whitespace around the number, as in Python.
def main() -> list[int]:
    print(int("\u3000 42 \u2003"), int("\xa0-7\x85"), int("\u2028+15\u2029"))
    return [int(s) for s in ["\t0\n", " -0 ", "0" * 70 + "1", "\u200a1_000\u205f"]]
