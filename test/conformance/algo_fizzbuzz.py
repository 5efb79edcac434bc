# FizzBuzz, collected into a list.
def fizzbuzz(n: int) -> str:
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)


def main() -> list[str]:
    out = [fizzbuzz(i) for i in range(1, 21)]
    for line in out[:5]:
        print(line)
    print(" ".join(out[5:]))
    return out[-6:]
