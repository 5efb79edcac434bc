# 0/1 knapsack with a one-dimensional table.
def knapsack(weights: list[int], values: list[int], cap: int) -> int:
    best = [0] * (cap + 1)
    for w, v in zip(weights, values):
        for c in range(cap, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best[cap]


def main() -> list[int]:
    weights = [1, 3, 4, 5]
    values = [1, 4, 5, 7]
    print(knapsack(weights, values, 7))
    return [knapsack(weights, values, c) for c in range(0, 14, 3)]
