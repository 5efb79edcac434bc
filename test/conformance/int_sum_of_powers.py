# Loops summing powers, with results checked against closed forms.
def main() -> list[int]:
    n = 1000
    s1 = 0
    s2 = 0
    s3 = 0
    for i in range(1, n + 1):
        s1 += i
        s2 += i * i
        s3 += i ** 3
    print(s1 == n * (n + 1) // 2, s2 == n * (n + 1) * (2 * n + 1) // 6, s3 == s1 * s1)
    geo = sum(3 ** k for k in range(100))
    print(geo == (3 ** 100 - 1) // 2)
    return [s1, s2, s3, geo % 1000000007]
