# Tuple packing, indexing, len, slicing and concatenation.
def main() -> tuple[int, str, bool]:
    t = (1, "two", True)
    print(t, t[0], t[1], t[-1], len(t))
    u = 4, 5
    print(u, u[1], u + (6, 7))
    single = (9,)
    print(single, len(single), str(single))
    nums = (10, 20, 30, 40)
    print(nums[1:3], nums[::-1], 20 in nums, 99 not in nums)
    return t
