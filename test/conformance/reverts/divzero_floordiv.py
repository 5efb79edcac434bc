# reverts: division by zero
def div(a: int, b: int) -> int:
    return a // b


def main() -> int:
    print(div(7, 2))
    return div(7, 0)
