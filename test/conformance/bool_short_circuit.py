# `and` / `or` evaluate their right operand only when needed.
def check(name: str, value: bool) -> bool:
    print("eval", name)
    return value


def main() -> list[bool]:
    r1 = check("a", False) and check("b", True)
    r2 = check("c", True) or check("d", False)
    r3 = check("e", True) and check("f", False)
    r4 = check("g", False) or check("h", True)
    r5 = check("i", True) and check("j", True) and check("k", False) and check("l", True)
    r6 = check("m", False) or check("n", False) or check("o", True) or check("p", True)
    print("done")
    return [r1, r2, r3, r4, r5, r6]
