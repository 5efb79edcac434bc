# Lambdas and nested functions (closures).
def apply_fee(xs: list[int]) -> list[int]:
    fee = lambda x: x // 100  # expect: E0412
    return xs


def totals(xs: list[int]) -> int:
    def add(a: int, b: int) -> int:  # expect: E0412
        return a + b
    return 0
