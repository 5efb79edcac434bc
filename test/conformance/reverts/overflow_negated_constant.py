# reverts: integer overflow
# -(2**255) is the smallest int, but computing it goes through 2**255, which overflows
# (write -(2**254) * 2, or (-2) ** 255, instead).
def main() -> int:
    print("smallest:", -(2 ** 254) * 2)
    return -(2 ** 255)
