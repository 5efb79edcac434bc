# pass in functions, branches and loops.
def nothing() -> None:
    pass


def classify(n: int) -> str:
    if n < 0:
        pass
    elif n == 0:
        return "zero"
    else:
        pass
    return "nonzero"


def main() -> list[str]:
    nothing()
    for _ in range(3):
        pass
    k = 0
    while k < 2:
        k += 1
        pass
    print(classify(-1), classify(0), classify(5), k)
    return [classify(n) for n in [0, 1]]
