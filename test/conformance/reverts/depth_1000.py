# reverts: call depth exceeded
def down(n: int) -> int:
    if n == 0:
        return 0
    return 1 + down(n - 1)


def main() -> int:
    print(down(100))
    return down(1000)
