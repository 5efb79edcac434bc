# range with one, two and three arguments, including negative steps.
def main() -> list[list[int]]:
    print(list(range(5)), list(range(2, 6)), list(range(0, 10, 3)))
    print(list(range(10, 0, -3)), list(range(0, -10, -2)), list(range(-3, 3)))
    print(list(range(5, 5)), list(range(5, 0)), list(range(0, 5, -1)), list(range(-1)))
    total = 0
    for i in range(100, 0, -7):
        total += i
    print(total)
    return [list(range(3, -4, -2)), list(range(-5, -1)), list(range(1, 2, 100))]
