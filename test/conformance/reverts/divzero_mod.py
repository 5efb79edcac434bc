# reverts: division by zero
def main() -> int:
    xs = [5, 3, 0]
    total = 0
    for x in xs:
        print("mod", x)
        total += 100 % x
    return total
