"""Integer math helpers for amounts of money.

    from stdlib.math import mul_div, sqrt, clamp, percent_of

The language has no floats: prices, shares and fees are integers, and the order of
operations decides the rounding. These helpers do it the careful way:

- `mul_div(a, b, d)`   a * b // d, rounded down (towards negative infinity, like `//`); the
                       product is checked like every int: past 2**255 - 1 it reverts with
                       "integer overflow";
- `sqrt(n)`            the integer square root (the largest r with r * r <= n), by Newton's method;
- `clamp(x, lo, hi)`   x limited to the range lo..hi;
- `percent_of(amount, bps)`  a share of `amount` in basis points (1 bps = 0.01 %, 10000 = all of it).

Each reverts on input it cannot handle (a zero denominator, a negative square root,
lo > hi, bps outside 0..10000) with a message naming the function.
"""

from zvchain import require


def mul_div(a: int, b: int, denominator: int) -> int:
    require(denominator != 0, "mul_div: zero denominator")
    return a * b // denominator


def sqrt(n: int) -> int:
    require(n >= 0, "sqrt: negative operand")
    if n < 2:
        return n
    # Newton's iteration from a power of two above the root: x shrinks every step until it
    # reaches floor(sqrt(n)), where the next guess is no longer smaller.
    x = _initial_guess(n)
    y = (x + n // x) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def _initial_guess(n: int) -> int:
    # A power of two that is at least sqrt(n): 2 ** ceil(bits(n) / 2).
    bits = 0
    m = n
    while m > 0:
        m >>= 1
        bits += 1
    return 1 << ((bits + 1) // 2)


def clamp(x: int, lo: int, hi: int) -> int:
    require(lo <= hi, "clamp: lo is greater than hi")
    return min(max(x, lo), hi)


def percent_of(amount: int, bps: int) -> int:
    require(bps >= 0 and bps <= 10000, "percent_of: bps out of 0..10000")
    return mul_div(amount, bps, 10000)
