# Floor division rounds towards negative infinity in every sign combination.
def show(a: int, b: int) -> None:
    print(a, "//", b, "=", a // b)


def main() -> list[int]:
    show(7, 3)
    show(-7, 3)
    show(7, -3)
    show(-7, -3)
    show(-6, 3)
    show(6, -3)
    show(0, -3)
    show(-1, 1000)
    show(1, -1000)
    return [7 // 2, -7 // 2, 7 // -2, -7 // -2, -1 // 2, 1 // -2]
