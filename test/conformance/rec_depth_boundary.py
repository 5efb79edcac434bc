# Exactly 256 frames deep (main plus 255 nested calls), the deepest the TVM allows.
def down(n: int) -> int:
    if n == 0:
        return 0
    return down(n - 1) + 1


def main() -> int:
    print(down(10))
    return down(254)
