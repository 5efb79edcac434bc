# Mutual recursion.
def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


def main() -> list[bool]:
    print(is_even(10), is_odd(10), is_even(7), is_odd(7))
    print(is_even(150), is_odd(199))
    return [is_even(n) for n in range(6)]
