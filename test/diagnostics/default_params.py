# Parameters with default values.
def fee(amount: int, bps: int = 30) -> int:  # expect: E0405
    return amount * bps // 10000


def main() -> int:
    return fee(100, 30)
