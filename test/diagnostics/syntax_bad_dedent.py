# A dedent to a column that matches no enclosing block.
def clamp(x: int) -> int:
    if x > 10:
        x = 10
      return x  # expect: E0003
