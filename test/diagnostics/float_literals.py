# Floats: literals, scientific notation and the float type.
def interest(principal: int) -> int:
    rate = 0.05  # expect: E0403
    supply = 1e18  # expect: E0403
    return principal


def ratio(a: int, b: int) -> float:  # expect: E0403
    return a
