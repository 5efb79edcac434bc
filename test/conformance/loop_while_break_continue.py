# while loops with break and continue.
def main() -> list[int]:
    found: list[int] = []
    n = 0
    while True:
        n += 1
        if n % 3 == 0:
            continue
        if n > 14:
            break
        found.append(n)
    print(found, n)
    i = 10
    while i > 0:
        i -= 4
    print(i)
    k = 0
    while k < 100 and k * k < 50:
        k += 1
    print(k)
    return found
