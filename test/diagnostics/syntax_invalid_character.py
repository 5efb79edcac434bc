# A character that is not part of the language.
def price(units: int) -> int:
    return units $ 3  # expect: E0001
