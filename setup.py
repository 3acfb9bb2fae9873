"""Build step for the wheel: put the page assets into the package.

Everything else is declared in pyproject.toml. The maps carry their own
JavaScript and CSS: Leaflet and leaflet-polylineoffset from the npm packages
pinned by package-lock.json, and eventmap's page code (maps/js/, ES modules)
bundled by the pinned esbuild. None of it is committed; building a wheel runs
``npm ci`` and ``node maps/js/build.mjs`` into the wheel's ``maps/static/``.
An editable install (``make map``) builds them in place with ``make assets``.
"""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithAssets(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # maps/static/ is built in place by `make assets`
        npm, node = shutil.which("npm"), shutil.which("node")
        if not (npm and node):
            raise SystemExit("building eventmap needs node and npm (the map assets come from npm)")
        if not (ROOT / "node_modules" / ".package-lock.json").is_file():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                           cwd=ROOT, check=True)  # fmt: skip
        static = Path(self.build_lib) / "maps" / "static"
        subprocess.run([node, str(ROOT / "maps" / "js" / "build.mjs"), str(static)], check=True)


setup(cmdclass={"build_py": BuildWithAssets})
