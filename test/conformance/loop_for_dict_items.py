# Loops over dicts and their items, with enumerate and zip.
def main() -> dict[str, int]:
    scores = {"ann": 90, "bob": 72, "cy": 85}
    best = ""
    best_score = -1
    for name, score in scores.items():
        if score > best_score:
            best = name
            best_score = score
    print(best, best_score)
    for i, name in enumerate(list(scores)):
        print(i, name)
    bonus = [5, 10, 0]
    for name, extra in zip(list(scores.keys()), bonus):
        scores[name] += extra
    print(scores)
    return scores
