# Reversing strings and checking palindromes.
def clean(s: str) -> str:
    out: list[str] = []
    for c in list(s.lower()):
        if c.isalnum():
            out.append(c)
    return "".join(out)


def is_palindrome(s: str) -> bool:
    t = clean(s)
    return t == t[::-1]


def main() -> list[bool]:
    print("stressed"[::-1], "".join(reversed(list("drawer"))))
    samples = ["racecar", "A man, a plan, a canal: Panama", "hello", "", "No 'x' in Nixon", "été"]
    for s in samples:
        print(f"{s!r} -> {is_palindrome(s)}")
    return [is_palindrome(s) for s in samples]
