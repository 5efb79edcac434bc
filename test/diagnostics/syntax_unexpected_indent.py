# A statement indented deeper than the block it belongs to.
def fee(amount: int) -> int:
    rate = 30
        result = amount * rate // 10000  # expect: E0003
    return result
