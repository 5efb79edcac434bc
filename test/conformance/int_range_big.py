# range and arithmetic with bounds far beyond 64 bits.
def main() -> list[int]:
    base = 2 ** 200
    print(list(range(base, base + 3)))
    print(list(range(-base, -base - 7, -3)))
    total = 0
    for i in range(base - 2, base + 2):
        total += i - base
    print(total)
    step = 2 ** 100
    return [x // step for x in range(0, 5 * step, step)]
