# reverts: division by zero
def main() -> int:
    x = 1000
    divisors = [10, 5, 0, 2]
    for d in divisors:
        print(x)
        x //= d
    return x
