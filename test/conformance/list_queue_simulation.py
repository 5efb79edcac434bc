# A round-robin queue simulation with pop(0) and append.
def main() -> list[str]:
    queue = [("a", 3), ("b", 1), ("c", 2)]
    order: list[str] = []
    while queue:
        name, left = queue.pop(0)
        order.append(name)
        if left > 1:
            queue.append((name, left - 1))
    print(order)
    print(len(order), order.count("a"))
    return order
