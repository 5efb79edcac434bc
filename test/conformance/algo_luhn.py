# Luhn checksum over digit strings.
def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in list(number.replace(" ", ""))]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def main() -> list[bool]:
    cards = ["4539 1488 0343 6467", "8273 1232 7352 0569", "79927398713", "0", "1"]
    for c in cards:
        print(c, luhn_ok(c))
    return [luhn_ok(c) for c in cards]
