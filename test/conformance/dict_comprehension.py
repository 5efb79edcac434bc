# dict comprehensions, including filters and inverting a dict.
def main() -> dict[int, str]:
    squares = {n: n * n for n in range(6)}
    print(squares)
    evens = {k: v for k, v in squares.items() if k % 2 == 0}
    print(evens)
    words = ["apple", "fig", "banana"]
    lengths = {w: len(w) for w in words}
    print(lengths)
    pairs = {i: j for i in range(3) for j in range(2)}
    print(pairs)
    return {v: k for k, v in lengths.items()}
