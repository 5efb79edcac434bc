# Annotations that are not types of the language.
def total(xs: list) -> int:  # expect: E0309
    return 0


def lookup(table: dict[list[int], int]) -> int:  # expect: E0309
    return 0


def convert(amount: money) -> int:  # expect: E0309
    return 0
