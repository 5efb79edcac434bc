# Exceptions: contracts revert instead.
def parse_amount(s: str) -> int:
    try:  # expect: E0410
        return int(s)
    except ValueError:
        return 0
    return 0


def check(amount: int) -> int:
    if amount < 0:
        raise ValueError("negative")  # expect: E0410
    return amount
