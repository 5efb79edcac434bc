# In-place bubble sort with swaps through tuple assignment.
def bubble(xs: list[int]) -> int:
    swaps = 0
    n = len(xs)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                swaps += 1
                swapped = True
        if not swapped:
            break
    return swaps


def main() -> list[int]:
    data = [9, -3, 5, 0, 5, 12, -8, 1]
    n = bubble(data)
    print(n, data)
    done = [1, 2, 3]
    print(bubble(done), done)
    return data
