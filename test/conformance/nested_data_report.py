# Aggregating a list of records (tuples) into dicts and a sorted report.
def main() -> list[str]:
    orders = [("ann", "pen", 3), ("bob", "ink", 1), ("ann", "ink", 2), ("cy", "pen", 10), ("bob", "pen", 1)]
    by_customer: dict[str, int] = {}
    by_item: dict[str, list[str]] = {}
    for customer, item, qty in orders:
        by_customer[customer] = by_customer.get(customer, 0) + qty
        if item not in by_item:
            names: list[str] = []
            by_item[item] = names
        if customer not in by_item[item]:
            by_item[item].append(customer)
    print(by_customer)
    print(by_item)
    report = [f"{c}:{q}" for c, q in sorted(by_customer.items(), reverse=True)]
    print(report)
    return report
