# reverts: integer overflow
# abs of the smallest int.
def main() -> int:
    bottom = -(2 ** 254) * 2
    print(abs(bottom + 1))
    return abs(bottom)
