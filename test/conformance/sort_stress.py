# sorted and sort on a few hundred pseudo-random values of several types.
def lcg(s: int) -> int:
    return (s * 1103515245 + 12345) % 2147483648


def main() -> list[int]:
    s = 1
    nums: list[int] = []
    for _ in range(400):
        s = lcg(s)
        nums.append(s % 2001 - 1000)
    asc = sorted(nums)
    ok = all(asc[i] <= asc[i + 1] for i in range(len(asc) - 1))
    print(ok, asc[:5], asc[-5:], sorted(nums, reverse=True)[:3])
    words = [str(n) + "😀" * (n % 3) for n in nums[:60]]
    words.sort()
    print(words[:6], words[-2:])
    pairs = [(n % 7, str(n)) for n in nums[:80]]
    pairs.sort(reverse=True)
    print(pairs[:4])
    big = [n * 2 ** 200 + n for n in nums[:50]]
    print(sorted(big)[0] == min(big), sorted(big)[-1] == max(big))
    return asc[195:205]
