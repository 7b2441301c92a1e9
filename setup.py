"""Packaging for tensorboard-plugin-scopes.

`pip install .` builds the frontend bundle (frontend/ -> tb_scopes_plugin/static/index.js)
with npm and esbuild, so the bundle is never committed.
"""

import os
import shutil
import subprocess

import setuptools
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
FRONTEND = os.path.join(HERE, "frontend")
BUNDLE = os.path.join(HERE, "tb_scopes_plugin", "static", "index.js")


def build_frontend():
    """Run `npm ci` (when needed) and `npm run build` in frontend/."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "tensorboard-plugin-scopes: npm is needed to build the Scopes tab (install Node.js 18+)."
        )
    if not os.path.isdir(os.path.join(FRONTEND, "node_modules")):
        subprocess.check_call([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND)
    subprocess.check_call([npm, "run", "build"], cwd=FRONTEND)
    if not os.path.isfile(BUNDLE):
        raise SystemExit(f"tensorboard-plugin-scopes: the frontend build did not write {BUNDLE}")


class BuildPyWithFrontend(build_py):
    """build_py that first bundles the TypeScript frontend into the package's static folder."""

    def run(self):
        build_frontend()
        super().run()


# One TensorFlow only: keras-hub pulls tensorflow-text, which needs the full `tensorflow`
# wheel, and `tensorflow-cpu` beside it would overwrite the same package directory.
DEMO_REQUIRES = ["tensorflow>=2.16", "torch==2.13.0"]

# Real third-party model code for the real-model corpus (tests/realmodels/): built from
# code with small configurations, nothing downloaded.
REAL_MODEL_REQUIRES = ["tf-keras", "tf-slim", "keras-hub", "transformers", "tensorboardX"]

TEST_REQUIRES = [
    "pytest>=8",
    "pytest-timeout",
    "playwright>=1.40",
    "ruff",
    *DEMO_REQUIRES,
    *REAL_MODEL_REQUIRES,
]

setuptools.setup(
    name="tensorboard-plugin-scopes",
    version="0.1.0",
    description="TensorBoard plugin that shows variable scopes, reuse and missed weight sharing on the graph",
    long_description=open(os.path.join(HERE, "README.md"), encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    # Every subpackage (adapters, findings): a bare list of the top one left them out of
    # anything but an editable install, and TensorBoard could not load the plugin.
    packages=setuptools.find_packages(include=["tb_scopes_plugin", "tb_scopes_plugin.*"]),
    package_data={"tb_scopes_plugin": ["static/*"]},
    python_requires=">=3.10",
    install_requires=["tensorboard>=2.12", "numpy", "orjson>=3.9"],  # numpy: frontier.py
    extras_require={
        "demo": DEMO_REQUIRES,
        "test": TEST_REQUIRES,
    },
    entry_points={
        "tensorboard_plugins": ["scopes = tb_scopes_plugin.plugin:ScopesPlugin"],
        "console_scripts": ["tb-scopes = tb_scopes_plugin.cli:main"],
    },
    cmdclass={"build_py": BuildPyWithFrontend},
)
