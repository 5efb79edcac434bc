# Recursive merge sort on new lists.
def merge(a: list[int], b: list[int]) -> list[int]:
    out: list[int] = []
    i = 0
    j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out + a[i:] + b[j:]


def merge_sort(xs: list[int]) -> list[int]:
    if len(xs) <= 1:
        return xs
    mid = len(xs) // 2
    return merge(merge_sort(xs[:mid]), merge_sort(xs[mid:]))


def main() -> list[int]:
    data = [38, 27, 43, 3, 9, 82, 10, -5, 0, 27]
    result = merge_sort(data)
    print(result == sorted(data), data[:3])
    return result
