# A deterministic linear congruential generator and a Fisher-Yates shuffle.
def lcg(state: int) -> int:
    return (state * 6364136223846793005 + 1442695040888963407) % 2 ** 64


def shuffle(xs: list[int], seed: int) -> list[int]:
    out = xs.copy()
    state = seed
    for i in range(len(out) - 1, 0, -1):
        state = lcg(state)
        j = (state >> 33) % (i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def main() -> list[int]:
    s = 42
    seq: list[int] = []
    for _ in range(4):
        s = lcg(s)
        seq.append(s)
    print(seq)
    print(shuffle(list(range(10)), 7), shuffle(list(range(10)), 7) == shuffle(list(range(10)), 7))
    return sorted(shuffle(list(range(12)), 99))
