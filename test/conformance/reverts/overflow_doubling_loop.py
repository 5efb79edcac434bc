# reverts: integer overflow
# Doubling in a loop: CPython reaches 2**300, the TVM stops at 2**255.
def main() -> int:
    x = 1
    print("doubling")
    for _ in range(300):
        x *= 2
    return x
