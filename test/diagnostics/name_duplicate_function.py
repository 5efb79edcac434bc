# The same function defined twice in a module.
def fee(amount: int) -> int:
    return amount // 100


def fee(amount: int) -> int:  # expect: E0202
    return amount // 50
