"""The plugin and the CLI run where TensorFlow is not installed (TensorBoard alone)."""

import subprocess
import sys
import textwrap


def test_plugin_and_cli_work_with_tensorflow_unimportable(patterns_logdir):
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError
        from tb_scopes_plugin import cli, plugin  # noqa: F401
        reports, problems = cli.load_reports({str(patterns_logdir)!r}, run="article_reuse")
        weights = {{v.name: v for v in reports[0].variables}}["dense/weights"]
        assert "tensorflow" not in sys.modules or sys.modules["tensorflow"] is None
        print(weights.status, sorted(weights.uses))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shared ['dense', 'dense_1']"
