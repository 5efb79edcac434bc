"""CPython oracle for the conformance corpus (test/conformance.test.ts runs it once).

Usage: python3 oracle.py DIR [FILE ...]

For every program (DIR/*.py and DIR/reverts/*.py except this file, or only the FILEs given,
as paths relative to DIR) it executes the source in a fresh namespace with stdout captured,
calls `main()` and prints one JSON object on stdout:

    { "<relative path>": { "stdout": [lines], "repr": "..." | null, "type": "int" | null,
                           "error": null | "ExceptionName: message", "ms": 1.2 }, ... }

`type` is the CPython type name of main's result (the runner checks it for the
"negative exponent" reverts, where CPython gives a float instead of failing).

`overflow` comes from a second, instrumented run of the program in which every int that an
operator, a call or a literal produces is checked against the TVM's signed 256-bit range
(CPython's ints are unbounded, the TVM reverts with "integer overflow" on the first
intermediate result outside the range): null, or "line N: <value>" for the first one. A
normal program must have none; an "integer overflow" revert program must have one.

`lint` lists uses of Python outside the language subset that the corpus may use (a cheap
guard for new programs, independent of the compiler): constructs that docs/language.md
rejects, module-level code, unannotated or defaulted parameters, keyword arguments other
than `reverse=`, and calls of names that are neither builtins of the language nor
functions of the program.

The call stack is limited to MAX_FRAMES Python frames counted from `main`, mirroring the
TVM's limit of 256 call frames: a normal program that would exceed the TVM's depth fails
here too (so the corpus cannot silently rely on deeper recursion), and the
"call depth exceeded" reverts raise RecursionError.
"""

import ast
import contextlib
import io
import json
import os
import sys
import time

MAX_FRAMES = 256
INT_MIN = -(1 << 255)
INT_MAX = (1 << 255) - 1


class RangeOverflow(Exception):
    """An int result outside the TVM's range (raised only by the instrumented run)."""


def check_range(value, line):
    if type(value) is int and not INT_MIN <= value <= INT_MAX:
        raise RangeOverflow(f"line {line}: {value}")
    return value


class RangeChecker(ast.NodeTransformer):
    """Wraps every operator, call and int literal in check_range(..., line); after an
    augmented assignment it checks the target (our programs' targets have no side effects)."""

    def wrap(self, node):
        call = ast.Call(ast.Name("__zv_check__", ast.Load()), [node, ast.Constant(node.lineno)], [])
        return ast.copy_location(call, node)

    def visit_BinOp(self, node):
        return self.wrap(self.generic_visit(node))

    def visit_UnaryOp(self, node):
        return self.wrap(self.generic_visit(node))

    def visit_Call(self, node):
        return self.wrap(self.generic_visit(node))

    def visit_Constant(self, node):
        return self.wrap(node) if type(node.value) is int else node

    def visit_AugAssign(self, node):
        node = self.generic_visit(node)
        target = ast.parse(ast.unparse(node.target), mode="eval").body
        check = ast.Expr(self.wrap(ast.copy_location(target, node)))
        return [node, ast.fix_missing_locations(ast.copy_location(check, node))]


BUILTINS = {
    "len", "range", "abs", "min", "max", "sum", "any", "all", "sorted", "reversed", "enumerate",
    "zip", "str", "repr", "int", "bool", "bytes", "list", "dict", "chr", "ord", "hex", "bin", "oct",
    "divmod", "pow", "print",
}
REJECTED = (
    ast.Lambda, ast.Set, ast.SetComp, ast.Try, ast.Raise, ast.With, ast.Global, ast.Nonlocal,
    ast.Yield, ast.YieldFrom, ast.Await, ast.AsyncFunctionDef, ast.NamedExpr, ast.ClassDef,
    ast.Starred, ast.Match, ast.Import,
)


def lint(source: str, path: str) -> list:
    """Subset violations of a conformance program, as "line N: what" strings."""
    try:
        tree = ast.parse(source, path)
    except SyntaxError as exc:
        return [f"line {exc.lineno}: syntax error {exc.msg}"]
    problems = []
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "typing" and all(a.name == "Optional" for a in stmt.names):
            continue
        if not isinstance(stmt, ast.FunctionDef):
            problems.append(f"line {stmt.lineno}: module-level {type(stmt).__name__}")
    if "main" not in functions:
        problems.append("line 1: no main()")
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, REJECTED):
            problems.append(f"line {line}: {type(node).__name__} is not in the language")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.MatMult)):
            problems.append(f"line {line}: operator {type(node.op).__name__}")
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Div, ast.MatMult)):
            problems.append(f"line {line}: operator {type(node.op).__name__}=")
        elif isinstance(node, ast.Constant) and isinstance(node.value, (float, complex)):
            problems.append(f"line {line}: float literal")
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            if not all(isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
                problems.append(f"line {line}: `is` with something other than None")
        elif isinstance(node, (ast.For, ast.While)) and node.orelse:
            problems.append(f"line {line}: loop else")
        elif isinstance(node, ast.FunctionDef):
            if node in tree.body:
                args = node.args
                if args.defaults or args.kw_defaults or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
                    problems.append(f"line {line}: defaults, *args, **kwargs or keyword-only parameters")
                if node.returns is None or any(a.annotation is None for a in args.args):
                    problems.append(f"line {line}: unannotated function {node.name}")
                if node.decorator_list:
                    problems.append(f"line {line}: decorator")
            else:
                problems.append(f"line {line}: nested function {node.name}")
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg != "reverse":
                    problems.append(f"line {line}: keyword argument {kw.arg}=")
            if isinstance(node.func, ast.Name) and node.func.id not in BUILTINS | functions:
                problems.append(f"line {line}: call of {node.func.id}()")
    return problems


def range_overflow(source: str, path: str):
    """Runs the instrumented program; returns the first out-of-range int or None."""
    try:
        tree = RangeChecker().visit(ast.parse(source, path))
    except SyntaxError:
        return None  # the plain run reports it
    ast.fix_missing_locations(tree)
    namespace = {"__name__": "conformance_program", "__zv_check__": check_range}
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 20000))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, path, "exec"), namespace)
            namespace["main"]()
    except RangeOverflow as exc:
        return str(exc)
    except Exception:  # the plain run reports the program's own failures
        return None
    finally:
        sys.setrecursionlimit(old_limit)
    return None


def frame_depth() -> int:
    """Number of Python frames on the stack of the caller (inclusive)."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def call_main(namespace: dict):
    # main runs one frame below this one: allow it and its callees MAX_FRAMES frames in all.
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(frame_depth() + MAX_FRAMES)
    try:
        return namespace["main"]()
    finally:
        sys.setrecursionlimit(old_limit)


def run_program(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    out = io.StringIO()
    result = {"stdout": [], "repr": None, "type": None, "error": None, "overflow": None, "lint": [], "ms": 0.0}
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        try:
            namespace = {"__name__": "conformance_program"}
            exec(compile(source, path, "exec"), namespace)
            value = call_main(namespace)
            result["repr"] = repr(value)
            result["type"] = type(value).__name__
        except Exception as exc:  # the program's own failure is data, not an oracle crash
            result["error"] = f"{type(exc).__name__}: {exc}"
    result["ms"] = round((time.perf_counter() - started) * 1000, 2)
    lines = out.getvalue().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    result["stdout"] = lines
    result["overflow"] = range_overflow(source, path)
    result["lint"] = lint(source, path)
    return result


def corpus(root: str) -> list:
    names = []
    for sub in ("", "reverts"):
        folder = os.path.join(root, sub)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py") and name != os.path.basename(__file__):
                names.append(os.path.join(sub, name) if sub else name)
    return names


def main() -> None:
    root = sys.argv[1]
    names = sys.argv[2:] or corpus(root)
    # Python's own int->str limit (4300 digits) is far above 256-bit values; keep the default.
    results = {name: run_program(os.path.join(root, name)) for name in names}
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
