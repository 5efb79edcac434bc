# Towers of Hanoi, recording the moves in a list passed down the recursion.
def hanoi(n: int, src: str, dst: str, via: str, moves: list[str]) -> None:
    if n == 0:
        return
    hanoi(n - 1, src, via, dst, moves)
    moves.append(src + dst)
    hanoi(n - 1, via, dst, src, moves)


def main() -> int:
    moves: list[str] = []
    hanoi(3, "A", "C", "B", moves)
    print(moves)
    more: list[str] = []
    hanoi(8, "A", "C", "B", more)
    print(len(more), more[:3], more[-1])
    return len(more)
