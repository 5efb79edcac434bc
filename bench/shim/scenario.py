"""Runs a scenario of deploys and calls under CPython (through the shim) and prints what
happened as JSON, for differential tests against the TVM (test/examples.test.ts).

    python3 bench/shim/scenario.py < scenario.json

Scenario:
    {"balances": {"zv...": 1000},
     "steps": [
       {"op": "deploy", "name": "token", "file": "examples/token.py", "args": [1000], "sender": "zv...", "value": 0},
       {"op": "call", "contract": "token", "method": "transfer", "args": ["zv...", 10], "sender": "zv...", "value": 0},
       {"op": "mine", "blocks": 10},
       {"op": "balance", "of": "zv..."}            (or {"ref": "token"}: a deployed contract)
     ]}
Arguments: an int, a bool, a str ("zv" + 64 hex digits becomes an Address), a list of those,
{"ref": NAME} for the address of a contract deployed earlier in the scenario, {"int": "123"}.

Output: one entry per step, {"ok": bool, "value": V, "reason": str|null, "events": [[name, {field: V}]]},
where V is the JSON form of a value (see `to_json`); the address of a deployed contract is
written as "<NAME>" so that results compare across VMs that derive addresses differently.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import zvchain  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def to_json(value, labels=None):
    """The VM-neutral JSON form of a contract value."""
    labels = labels or {}
    if isinstance(value, zvchain.Address):
        return labels.get(value, str(value))
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return {'int': str(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v, labels) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {'bytes': bytes(value).hex()}
    if isinstance(value, dict):
        return {'dict': [[to_json(k, labels), to_json(v, labels)] for k, v in value.items()]}
    if isinstance(value, zvchain.Struct):
        return {'struct': type(value).__name__,
                'fields': {n: to_json(getattr(value, n), labels) for n in type(value)._zv_fields}}
    return {'repr': repr(value)}


def from_json(arg, refs):
    if isinstance(arg, dict):
        if 'ref' in arg:
            return refs[arg['ref']]
        if 'int' in arg:
            return int(arg['int'])
        raise ValueError(f'bad argument {arg!r}')
    if isinstance(arg, list):
        return [from_json(a, refs) for a in arg]
    if isinstance(arg, str) and zvchain._ADDRESS_RE.fullmatch(arg):
        return zvchain.Address(arg)
    return arg


def run(scenario):
    chain = zvchain.Chain(balances={k: int(v) for k, v in scenario.get('balances', {}).items()})
    refs = {}
    labels = {}
    out = []
    for step in scenario['steps']:
        op = step['op']
        if op == 'mine':
            chain.mine(step.get('blocks', 1))
            out.append({'ok': True, 'value': None, 'reason': None, 'events': []})
            continue
        if op == 'balance':
            value = chain.balance_of(from_json(step['of'], refs))
            out.append({'ok': True, 'value': to_json(value), 'reason': None, 'events': []})
            continue
        args = [from_json(a, refs) for a in step.get('args', [])]
        sender = from_json(step['sender'], refs)
        value = step.get('value', 0)
        try:
            if op == 'deploy':
                address = chain.deploy(str(ROOT / step['file']), *args, sender=sender, value=value)
                refs[step['name']] = address
                labels[address] = f"<{step['name']}>"
            else:
                chain.call(refs[step['contract']], step['method'], *args, sender=sender, value=value)
        except zvchain.Revert:
            pass
        receipt = chain.last
        out.append({
            'ok': receipt.ok,
            'value': None if op == 'deploy' else to_json(receipt.value, labels),
            'reason': receipt.reason,
            'events': [[name, {k: to_json(v, labels) for k, v in fields.items()}]
                       for (_, name, fields) in receipt.events],
            'logs': receipt.logs,
        })
    return out


if __name__ == '__main__':
    print(json.dumps(run(json.load(sys.stdin))))
