# reverts: integer overflow
# 59! is about 2**265: the recursion overflows on the way back up.
def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)


def main() -> int:
    print(fact(57) > 0)
    return fact(59)
