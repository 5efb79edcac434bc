# int() parses signs, underscores, surrounding whitespace and leading zeros.
def main() -> list[int]:
    print(int("42"), int("-42"), int("+7"), int("  12  "))
    print(int("1_000_000"), int("-0"), int("007"), int("\t-15\n"))
    print(int(" +1_2_3 "))
    big = int("57896044618658097711785492504343953926634992332820282019728792003956564819967")
    print(big == 2 ** 254 - 1 + 2 ** 254)
    low = int("-57896044618658097711785492504343953926634992332820282019728792003956564819968")
    print(low == -(2 ** 254) * 2)
    return [int(s) for s in ["0", "-1", "99", " 5 ", "-0_0"]]
