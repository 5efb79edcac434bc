# Reading a variable before any assignment, and on a path where it was never set.
def settle(flag: bool, amount: int) -> int:
    fee = rate * amount  # expect: E0205
    rate = 3
    if flag:
        bonus = 10
    return fee + rate + bonus  # expect: E0205
