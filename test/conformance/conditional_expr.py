# Conditional expressions, nested and inside other expressions.
def sign(x: int) -> int:
    return 1 if x > 0 else -1 if x < 0 else 0


def main() -> list[int]:
    print(sign(5), sign(-5), sign(0))
    a = 3
    b = 9
    big = a if a > b else b
    print(big, "even" if big % 2 == 0 else "odd")
    label = "many" if a > 2 else "few"
    print(label, [x if x % 2 else -x for x in range(5)])
    return [sign(x) * 10 + (1 if x else 0) for x in [-2, 0, 2]]
