"""What `pip install .` installs works outside the repository: every module, the tab's bundle,
the plugin's entry point and the CLI (the other tests import the package from the checkout, so
they cannot see a module the wheel leaves out)."""

import pathlib
import shutil
import subprocess
import sys
import textwrap
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def clean_copy(dest):
    """The checkout without what a build leaves (`build/` would hand a wheel its old files), its
    frontend's installed packages linked rather than copied."""
    ignore = shutil.ignore_patterns("build", "dist", "*.egg-info", "node_modules", "__pycache__", ".*")
    shutil.copytree(ROOT, dest, ignore=ignore)
    (dest / "frontend" / "node_modules").symlink_to(ROOT / "frontend" / "node_modules")
    return dest


def test_the_wheel_holds_every_module_and_the_bundle_and_runs_on_its_own(tmp_path, patterns_logdir):
    source = clean_copy(tmp_path / "source")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("tensorboard_plugin_scopes-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "tb_scopes_plugin").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert sources - names == set()
    assert "tb_scopes_plugin/static/index.js" in names
    # Imported from the wheel alone, from a directory that is not the checkout.
    script = textwrap.dedent(
        f"""
        import sys
        sys.path = [p for p in sys.path if p not in ("", {str(ROOT)!r})]
        sys.path.insert(0, {str(wheel)!r})
        import tb_scopes_plugin, tb_scopes_plugin.plugin
        from tb_scopes_plugin import cli
        assert tb_scopes_plugin.__file__.startswith({str(wheel)!r}), tb_scopes_plugin.__file__
        reports, problems = cli.load_reports({str(patterns_logdir)!r}, run="article_reuse")
        print(reports[0].variables[0].name, reports[0].variables[0].status)
        """
    )
    ran = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.strip() == "dense/bias shared"
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert (
        entry
        and "scopes = tb_scopes_plugin.plugin:ScopesPlugin" in zipfile.ZipFile(wheel).read(entry[0]).decode()
    )
