# sum, min and max over lists and generator expressions.
def main() -> list[int]:
    xs = [4, -7, 12, 0, 3]
    print(sum(xs), min(xs), max(xs))
    empty: list[int] = []
    print(sum(empty), sum([2 ** 200, -(2 ** 200)]))
    print(sum(x * x for x in xs), max(abs(x) for x in xs), min(x for x in xs if x > 0))
    words = ["pear", "fig", "banana"]
    print(min(words), max(words), max(len(w) for w in words))
    return [sum(range(101)), min(5, 9), max(-5, -9), sum([x for x in xs if x % 2 == 0])]
