# Building an aligned text table with f-strings.
def main() -> str:
    rows = [("BTC", 1, 3), ("ETH", 42, 12), ("ZV", 123456, -7)]
    lines = [f"{'sym':<5}|{'qty':>8}|{'chg':>5}|{'hex':>6}"]
    for sym, qty, chg in rows:
        lines.append(f"{sym:<5}|{qty:>8}|{chg:>5}|{hex(qty):>6}")
    for line in lines:
        print(line)
    return "\n".join(lines)
