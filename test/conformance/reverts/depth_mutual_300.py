# reverts: call depth exceeded
# Just above the limit of 256 frames.
def ping(n: int) -> int:
    if n == 0:
        return 0
    return pong(n - 1) + 1


def pong(n: int) -> int:
    if n == 0:
        return 0
    return ping(n - 1) + 1


def main() -> int:
    print(ping(200))
    return ping(300)
