# for over ranges with positive and negative steps.
def main() -> list[int]:
    out: list[int] = []
    for i in range(5, 0, -1):
        out.append(i)
    for i in range(-10, 10, 7):
        out.append(i)
    for i in range(0, -7, -3):
        out.append(i)
    for i in range(3, 3):
        out.append(999)
    print(out)
    s = 0
    for i in range(1, 1001):
        s += i
    print(s)
    return out
