# reverts: call depth exceeded
# One frame more than the limit: main plus 256 nested calls.
def down(n: int) -> int:
    if n == 0:
        return 0
    return down(n - 1) + 1


def main() -> int:
    print(down(254))
    return down(255)
