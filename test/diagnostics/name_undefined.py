# Misspelled variables and an unknown function.
def total_price(prices: list[int], discount: int) -> int:
    total = 0
    for p in prices:
        total += p
    return totl - discount  # expect: E0201


def main() -> int:
    return total_price([1, 2], dicsount)  # expect: E0201
