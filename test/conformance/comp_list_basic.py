# List comprehensions with filters and expressions.
def main() -> list[int]:
    squares = [x * x for x in range(8)]
    print(squares)
    evens = [x for x in squares if x % 2 == 0]
    print(evens)
    words = ["Alpha", "beta", "Gamma", "delta"]
    print([w.lower() for w in words if w[0].isupper()])
    print([len(w) for w in words], [w[::-1] for w in words[:2]])
    print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
    return [x - 1 for x in squares if x > 10]
