# reverts: assertion failed: total exceeds cap
def main() -> int:
    total = 0
    for x in [40, 30, 20, 15, 10]:
        total += x
        print(total)
        assert total <= 100, "total exceeds cap"
    return total
