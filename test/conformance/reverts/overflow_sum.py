# reverts: integer overflow
# sum() checks its total like any other addition.
def main() -> int:
    half = 2 ** 254
    xs = [half, half - 1]
    print(sum(xs))
    xs.append(1)
    return sum(xs)
