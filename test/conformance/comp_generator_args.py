# Generator expressions as the only argument of sum, min, max, any, all and list.
def main() -> list[int]:
    xs = [3, 8, -2, 7, 0]
    print(sum(x for x in xs), sum(x * x for x in xs if x > 0))
    print(min(x for x in xs), max(x - 10 for x in xs), min(abs(x) for x in xs if x != 0))
    print(any(x > 7 for x in xs), all(x > -3 for x in xs), any(x > 100 for x in xs))
    words = ["one", "three", "five"]
    print(max(len(w) for w in words), sum(len(w) for w in words))
    return list(x * 10 for x in xs if x % 2 == 1)
