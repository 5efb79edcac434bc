# reverts: integer overflow
# Every intermediate result is checked: 2**255 - 1 overflows at 2**255 although CPython's
# final value is in range (write 2**254 - 1 + 2**254 instead).
def main() -> int:
    print("before")
    return 2 ** 255 - 1
