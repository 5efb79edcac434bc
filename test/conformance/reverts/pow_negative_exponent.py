# reverts: negative exponent
# CPython would give a float (0.5); there are no floats here.
def power(a: int, b: int) -> int:
    return a ** b


def main() -> int:
    print(power(2, 0))
    return power(2, -1)
