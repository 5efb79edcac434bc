# Exponentiation with small, negative and zero bases.
def main() -> list[int]:
    print(2 ** 10, 3 ** 4, 0 ** 0, 0 ** 5, 1 ** 1000)
    print((-2) ** 3, (-2) ** 4, -2 ** 2, (-1) ** 255)
    print(2 ** 3 ** 2)
    n = 3
    print(n ** 160 > 2 ** 253)
    return [10 ** k for k in range(0, 76, 15)]
