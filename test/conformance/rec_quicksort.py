# Quicksort with list comprehensions.
def quicksort(xs: list[int]) -> list[int]:
    if len(xs) <= 1:
        return xs
    pivot = xs[0]
    rest = xs[1:]
    smaller = [x for x in rest if x < pivot]
    larger = [x for x in rest if x >= pivot]
    return quicksort(smaller) + [pivot] + quicksort(larger)


def main() -> list[int]:
    data = [5, -1, 3, 3, 8, 0, -7, 12, 5]
    none: list[int] = []
    print(quicksort(none) == none, quicksort([1]))
    return quicksort(data)
