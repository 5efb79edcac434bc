# `and` / `or` return one of their operands (of the operands' common type).
def main() -> list[int]:
    print(0 or 5, 3 or 5, 0 and 5, 3 and 5, -1 and 0)
    print("" or "default", "x" or "default", "" and "x", "a" and "b")
    empty: list[int] = []
    print(empty or [1, 2], [3] or [1, 2], empty and [9], [3] and [4])
    d: dict[str, int] = {}
    print(d or {"k": 1}, b"" or b"z", b"y" and b"z")
    name = ""
    shown = name or "anonymous"
    print(shown)
    return [0 or 0, 7 and 8, 0 or -2, 1 and 0, 2 or 3 and 4, (0 or 3) and 9]
