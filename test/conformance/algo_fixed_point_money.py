# Token amounts in fixed point (18 decimals) with floor-divided fees.
def fmt(amount: int) -> str:
    unit = 10 ** 18
    whole, frac = divmod(abs(amount), unit)
    sign = "-" if amount < 0 else ""
    return f"{sign}{whole}.{str(frac).zfill(18).rstrip('0') or '0'}"


def fee(amount: int, bps: int) -> int:
    return amount * bps // 10000


def main() -> list[str]:
    unit = 10 ** 18
    balance = 1234 * unit + 5 * 10 ** 17
    f = fee(balance, 30)
    print(fmt(balance), fmt(f), fmt(balance - f))
    print(fmt(-unit // 3), fmt(unit // 3), fmt(0), fmt(10 ** 40))
    shares = [fee(balance, b) for b in [2500, 2500, 5000]]
    print(sum(shares) == balance, [fmt(s) for s in shares])
    return [fmt(x) for x in [1, unit, unit - 1, 7 * unit // 2]]
