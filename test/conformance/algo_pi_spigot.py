# Digits of pi with the Rabinowitz-Wagon spigot (integers only).
def pi_digits(n: int) -> str:
    size = n * 10 // 3 + 1
    a = [2] * size
    out = ""
    nines = 0
    predigit = 0
    for j in range(n):
        q = 0
        for i in range(size - 1, -1, -1):
            x = 10 * a[i] + q * (i + 1)
            a[i] = x % (2 * i + 1)
            q = x // (2 * i + 1)
        a[0] = q % 10
        q = q // 10
        if q == 9:
            nines += 1
        elif q == 10:
            out += str(predigit + 1) + "0" * nines
            predigit = 0
            nines = 0
        else:
            if j > 0:
                out += str(predigit)
            predigit = q
            if nines:
                out += "9" * nines
                nines = 0
    return out + str(predigit)


def main() -> str:
    digits = pi_digits(40)
    print(digits[:1] + "." + digits[1:])
    return digits[:20]
