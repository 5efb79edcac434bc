# Modulo takes the sign of the divisor.
def main() -> list[int]:
    out: list[int] = []
    for a in [7, -7, 6, -6, 0, 1, -1]:
        for b in [3, -3, 1, -1, 10]:
            out.append(a % b)
    print(out[:5])
    print(-7 % 3, 7 % -3, -7 % -3, 7 % 3)
    return out
