# reverts: assertion failed: amount must be positive
def pay(balance: int, amount: int) -> int:
    assert amount > 0, "amount must be positive"
    return balance - amount


def main() -> int:
    b = pay(100, 30)
    print(b)
    return pay(b, -5)
