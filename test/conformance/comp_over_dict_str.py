# Comprehensions over dicts, dict items and the characters of a string.
def main() -> list[str]:
    prices = {"apple": 3, "pear": 5, "fig": 2}
    print([k for k in prices], [v * 2 for v in prices.values()])
    print([f"{k}={v}" for k, v in prices.items() if v > 2])
    text = "Hello World"
    print([c for c in list(text) if c.isupper()], "".join([c for c in list(text) if c not in "lo"]))
    print({c: text.count(c) for c in list(text) if c != " "})
    return sorted([k.upper() for k in prices])
