# A function that can fall off its end without returning its declared type.
def sign(x: int) -> int:  # expect: E0307
    if x > 0:
        return 1
    elif x < 0:
        return -1
