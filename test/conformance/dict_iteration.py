# Iterating keys, values and items.
def main() -> list[tuple[str, int]]:
    stock = {"apple": 3, "pear": 0, "fig": 12}
    for name in stock:
        print(name, stock[name])
    total = 0
    for qty in stock.values():
        total += qty
    print(total)
    for name, qty in stock.items():
        if qty:
            print(f"{name}: {qty}")
    print(sorted(stock), sorted(stock.values()), sorted(stock.items()))
    return list(stock.items())
