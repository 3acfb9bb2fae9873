"""The layout's import rules, read from the source (AST), not by importing it.

* No import cycle among the modules of ``geo`` and ``maps``, counting the
  imports that run when a module is imported (not those inside functions, nor
  under ``if TYPE_CHECKING:``).
* ``geo`` never imports ``maps``.
* ``maps`` uses only ``geo``'s public names: no ``geo._x`` module, no ``_name``.
* No module of ``geo`` or ``maps`` takes another module's private name: no
  ``from x import _y``, no ``x._y`` of a module ``x`` it imported. What two modules
  share is public where it is defined. A package's own private modules are modules,
  not names (``geo.extract`` may use ``geo.extract._dates``).
* ``geo``'s messages name no command-line flag (``--bias``): they say what was
  wrong in the Python API's terms, and the CLI names its flags.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import geo
import maps

PACKAGES = {"geo": Path(geo.__file__).parent, "maps": Path(maps.__file__).parent}


def modules(package: str, directory: Path) -> dict[str, Path]:
    """``{"geo.gazetteer.core": path, "geo.gazetteer": .../__init__.py, ...}``."""
    out = {}
    for path in sorted(directory.rglob("*.py")):
        parts = [package, *path.relative_to(directory).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - node.level + 1]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(tree: ast.Module, module: str, is_package: bool, *, everywhere: bool = False):
    """``(module, names)`` of each import; at import time only unless ``everywhere``.

    ``names`` is ``()`` for ``import a.b``, the imported names for ``from a import b, c``.
    """
    found: list[tuple[str, tuple[str, ...]]] = []

    def visit(body):
        for node in body:
            if isinstance(node, ast.Import):
                found.extend((a.name, ()) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.append(
                    (_absolute(node, module, is_package), tuple(a.name for a in node.names))
                )
            elif isinstance(node, ast.If):
                if everywhere or not _type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (
                    node.body,
                    node.orelse,
                    node.finalbody,
                    *(h.body for h in node.handlers),
                ):
                    visit(block)
            elif isinstance(node, (ast.With, ast.For, ast.While, ast.ClassDef)):
                visit(node.body)  # these run at import time
            elif everywhere and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(node.body)

    visit(tree.body)
    return found


def import_graph(packages: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules of ``packages`` it imports when it is imported.

    ``from a import b`` depends on the module ``a.b`` when there is one, else on ``a``.
    """
    known: dict[str, Path] = {}
    for package, directory in packages.items():
        known.update(modules(package, directory))
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        deps = set()
        for target, names in imports(tree, name, path.name == "__init__.py"):
            if not names:
                deps.add(target)
            for n in names:
                deps.add(f"{target}.{n}" if f"{target}.{n}" in known else target)
        graph[name] = {d for d in deps if d in known and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def _private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def maps_private_uses(directory: Path) -> list[str]:
    """``file:line: what`` for every use in ``maps`` of a private module or name of ``geo``."""
    out = []
    for name, path in modules("maps", directory).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = f"{path.relative_to(directory.parent)}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                bad = [
                    a.name for a in node.names if a.name.split(".")[0] == "geo" and _private(a.name)
                ]
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(node, name, path.name == "__init__.py")
                if target.split(".")[0] != "geo":
                    continue
                bad = [target] if _private(target) else []
                bad += [f"{target}.{a.name}" for a in node.names if a.name.startswith("_")]
            elif isinstance(node, ast.Attribute):
                chain, inner = [node.attr], node.value
                while isinstance(inner, ast.Attribute):
                    chain.append(inner.attr)
                    inner = inner.value
                dotted = ".".join([getattr(inner, "id", ""), *reversed(chain)])
                # Only the outermost attribute of a chain: geo.a._b, not again geo.a.
                bad = [dotted] if dotted.startswith("geo.") and _private(dotted) else []
            else:
                continue
            out += [f"{where}:{node.lineno}: {b}" for b in bad]
    return sorted(set(out))


def _underscored(name: str) -> bool:
    """``_y``, not ``__all__`` or ``__version__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_module(dotted: str, module: str, known: dict[str, Path]) -> bool:
    """Whether ``dotted`` is a module of the package ``module`` belongs to (or is)."""
    package = dotted.rsplit(".", 1)[0]
    return dotted in known and (module == package or module.startswith(package + "."))


def private_name_uses(packages: dict[str, Path]) -> list[str]:
    """``file:line: what`` for every private name a module takes from another module.

    ``from x import _y`` (anywhere in the file), and ``x._y`` where ``x`` is a module
    the file imports (``import x``, ``import x.z as w``, ``from p import x`` of a
    module of ``packages``). A package's private module used inside that package is
    not a name (``from geo.extract import _dates`` in ``geo.extract``, ``geo._lazy``
    in ``geo``); outside it, it is.
    """
    known: dict[str, Path] = {}
    for package, directory in packages.items():
        known.update(modules(package, directory))
    out = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(packages[name.split(".")[0]].parent)
        is_package = path.name == "__init__.py"
        bound: dict[str, str] = {}  # a name in the file → the module it is
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:  # import a.b binds a; import a.b as c binds c to a.b
                    top = a.name.split(".")[0]
                    bound[a.asname or top] = a.name if a.asname else top
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(node, name, is_package)
                for a in node.names:
                    dotted = f"{target}.{a.name}"
                    if dotted in known:
                        bound[a.asname or a.name] = dotted
                    if _underscored(a.name) and not _own_module(dotted, name, known):
                        out.append(f"{where}:{node.lineno}: {dotted}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            chain, inner = [node.attr], node.value
            while isinstance(inner, ast.Attribute):
                chain.append(inner.attr)
                inner = inner.value
            if not (isinstance(inner, ast.Name) and inner.id in bound):
                continue
            dotted = bound[inner.id]
            for attr in reversed(chain):
                dotted = f"{dotted}.{attr}"
                if _underscored(attr) and not _own_module(dotted, name, known):
                    out.append(f"{where}:{node.lineno}: {dotted}")
                    break
    return sorted(set(out))


# --------------------------------------------------------------------------- the rules


def test_no_import_cycle_in_geo_or_maps():
    found = cycles(import_graph(PACKAGES))
    assert found == [], "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_geo_never_imports_maps():
    bad = []
    for name, path in modules("geo", PACKAGES["geo"]).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target, _ in imports(tree, name, path.name == "__init__.py", everywhere=True):
            if target.split(".")[0] == "maps":
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_maps_uses_only_public_names_of_geo():
    assert maps_private_uses(PACKAGES["maps"]) == []


def test_no_module_takes_another_modules_private_names():
    assert private_name_uses(PACKAGES) == []


_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def flags_in_strings(tree: ast.Module) -> list[tuple[int, str]]:
    """``(line, flag)`` of each ``--flag`` in a string of the code, docstrings left out."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return sorted(
        (node.lineno, flag)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
        for flag in _FLAG.findall(node.value)
    )  # fmt: skip


def test_geo_names_no_cli_flag():
    found = []
    for name, path in modules("geo", PACKAGES["geo"]).items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found += [f"{name}:{line}: {flag}" for line, flag in flags_in_strings(tree)]
    assert found == []


# --------------------------------------------------------------------------- the checks can fail


def test_flag_check_finds_flags_in_messages_not_docstrings():
    tree = ast.parse(
        '''"""Module doc: ``eventmap geocode --explain``."""
def f(bias):
    """See --bias."""
    raise ValueError(f"--bias: expected four numbers, got {bias}")
MESSAGE = "use a-b or --country-hint, not -x"
'''
    )
    assert flags_in_strings(tree) == [(4, "--bias"), (5, "--country-hint")]


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"__init__.py": "", "a.py": "import pkg.b\n", "b.py": "from pkg import a\n"},
         [["pkg.a", "pkg.b"]]),
        ({"__init__.py": "", "a.py": "from .b import x\n", "b.py": "from .c import y\n",
          "c.py": "from pkg.a import z\n"}, [["pkg.a", "pkg.b", "pkg.c"]]),
        ({"__init__.py": "", "a.py": "from pkg import b\n",
          "b.py": "def f():\n    from pkg import a\n"}, []),
        ({"__init__.py": "", "a.py": "from pkg import b\n",
          "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"},
         []),
        ({"__init__.py": "", "a.py": "try:\n    from pkg import b\nexcept ImportError:\n    b = None\n",
          "b.py": "class B:\n    from pkg import a\n"}, [["pkg.a", "pkg.b"]]),
    ],
    ids=["two modules", "three modules", "inside a function", "type checking only", "try, class body"],
)  # fmt: skip
def test_cycle_check_finds_cycles(tmp_path, files, expected):
    root = _package(tmp_path, files)
    assert cycles(import_graph({"pkg": root})) == expected


def test_private_use_check_finds_private_modules_and_names(tmp_path):
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from geo.geocoders._answers import degrees\nfrom geo.errors import brief\n",
            "b.py": "from geo.io.acled import _Codes\nimport geo._lazy\n",
            "c.py": "import geo\n\ndef f():\n    return geo.gazetteer._x\n",
        },
    )
    found = [line.split(": ", 1)[1] for line in maps_private_uses(root)]
    assert sorted(found) == [
        "geo._lazy", "geo.gazetteer._x", "geo.geocoders._answers", "geo.io.acled._Codes",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.py": "from pkg.b import _helper, public\n"}, ["pkg.b._helper"]),
        ({"a.py": "from .b import _X as X\n"}, ["pkg.b._X"]),
        ({"a.py": "import pkg.b\n\ndef f():\n    return pkg.b._helper()\n"}, ["pkg.b._helper"]),
        ({"a.py": "from pkg import b\nimport pkg.b as bee\nx = b._y + bee.c._z\n"},
         ["pkg.b._y", "pkg.b.c._z"]),
        ({"a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import _T\n"
                  "def f():\n    from pkg.b import _y\n"}, ["pkg.b._T", "pkg.b._y"]),
        ({"a.py": "import numpy as np\nx = np._NoValue\n"}, ["numpy._NoValue"]),
        ({"a.py": "from pkg.sub import _impl\n"}, ["pkg.sub._impl"]),
        ({"a.py": "from branca.element import Element\nfrom pkg import __version__\n"
                  "import pkg.b\nx = Element._generate_id, pkg.b.__name__\n"
                  "class A:\n    def f(self):\n        return self._x\n"}, []),
        ({"sub/__init__.py": "from pkg.sub import _impl\nfrom pkg.sub._impl import public\n"
                             "import pkg._lazy\nx = pkg._lazy.attach\n"}, []),
        ({"sub/__init__.py": "from pkg.sub import _impl\nx = _impl._hidden\n"},
         ["pkg.sub._impl._hidden"]),
    ],
    ids=["from import", "relative, renamed", "module attribute", "bound modules", "type checking, function",
         "another library", "another package's private module", "not another module's names",
         "own private modules", "own private module's name"],
)  # fmt: skip
def test_private_name_check_finds_private_names(tmp_path, files, expected):
    base = {
        "__init__.py": "",
        "b.py": "",
        "_lazy.py": "",
        "sub/__init__.py": "",
        "sub/_impl.py": "",
    }
    root = _package(tmp_path, {**base, **files})
    found = [line.split(": ", 1)[1] for line in private_name_uses({"pkg": root})]
    assert found == expected
