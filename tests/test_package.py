"""The wheel ships every module and every data file, and nothing finds its data by
counting parent folders (the wheel itself is built and used in `make smoke`)."""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _packages() -> list[str]:
    """The import packages: folders of geo/ and maps/ holding Python modules."""
    found = set()
    for top in ("geo", "maps"):
        for module in (ROOT / top).rglob("*.py"):
            found.add(".".join(module.parent.relative_to(ROOT).parts))
    return sorted(found)


def _included(name: str) -> bool:
    find = CONFIG["packages"]["find"]
    return any(fnmatch.fnmatchcase(name, p) for p in find["include"]) and not any(
        fnmatch.fnmatchcase(name, p) for p in find.get("exclude", [])
    )


@pytest.mark.parametrize("package", _packages())
def test_every_package_is_a_regular_package_in_the_wheel(package):
    assert (ROOT / package.replace(".", "/") / "__init__.py").is_file(), (
        f"{package} has modules but no __init__.py: setuptools would leave it out"
    )
    assert _included(package), f"{package} is not matched by [tool.setuptools.packages.find]"


def test_every_data_file_is_package_data():
    globs = CONFIG["package-data"]["geo"]
    data = [p for p in (ROOT / "geo" / "data").rglob("*") if p.is_file()]
    assert data
    for path in data:
        rel = path.relative_to(ROOT / "geo").as_posix()
        assert any(fnmatch.fnmatchcase(rel, g) for g in globs), f"geo/{rel} is not package data"


def _sources():
    for top in ("geo", "maps"):
        yield from sorted((ROOT / top).rglob("*.py"))


@pytest.mark.parametrize("path", list(_sources()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_finds_files_from_its_own_path(path):
    """Data is found through importlib.resources (geo.resources), so the installed
    package works from any folder; ``Path(__file__).parents[...]`` breaks that."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "parents":
            value = node.value
            if isinstance(value, ast.Call) and "__file__" in ast.unparse(value):
                pytest.fail(f"{path.name}:{node.lineno}: {ast.unparse(node)}")


def test_the_data_is_found_through_importlib_resources():
    from importlib.resources import files

    from geo.resources import data_dir

    assert data_dir() == Path(str(files("geo") / "data"))
    assert (data_dir() / "gazetteer" / "names.idx").is_file()
    assert (data_dir() / "extract" / "stopwords.yaml").is_file()


def test_folders_without_init_are_not_namespace_packages():
    """Otherwise maps/js/ (the page code's sources, bundled at build time) would ship
    in the wheel as a package ``maps.js``, past the exclude of ``maps``' data."""
    assert CONFIG["packages"]["find"].get("namespaces") is False
