# Recursive factorial up to 50! (about 2**214).
def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)


def main() -> int:
    print(fact(0), fact(1), fact(5), fact(20))
    print(fact(50) // fact(48), len(str(fact(50))))
    return fact(50)
