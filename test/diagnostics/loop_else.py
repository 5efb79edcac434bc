# for/else and while/else: the error points at the else block.
def find(xs: list[int], target: int) -> int:
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    else:
        return -1  # expect: E0404
    return -2


def countdown(n: int) -> int:
    while n > 0:
        n -= 1
    else:
        n = 100  # expect: E0404
    return n
