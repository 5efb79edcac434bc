# split followed by join gives back the text when the separator is explicit.
def main() -> list[bool]:
    samples = ["a,b,c", ",a,,b,", "", ",", "no commas", "😀,é,中"]
    results: list[bool] = []
    for s in samples:
        parts = s.split(",")
        back = ",".join(parts)
        print(f"{s!r}", parts, back == s)
        results.append(back == s)
    print(" ".join("  many   spaces  ".split()))
    return results
