# Everyday Python that is outside the language, all in one module.
import math  # expect: E0401


def report(words: list[str], scores: dict[str, int]) -> str:
    ordered = sorted(words, key=len)  # expect: E0311
    avg = sum(scores.values()) / len(scores)  # expect: E0402
    longest = max(words, key=len)  # expect: E0311
    line = f"{len(words)} words"
    print(line, end="")  # expect: E0311
    if isinstance(line, str):  # expect: E0407
        return line
    return line
