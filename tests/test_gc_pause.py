"""Collection pauses: the host's startup objects frozen once, garbage collected first, not frozen."""

import subprocess
import sys
import textwrap


def _run(code):
    """`code` in a fresh interpreter (freezing is for the whole process); its stdout."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_loading_the_plugin_freezes_what_tensorboard_holds_and_collects_its_garbage_first():
    out = _run(
        """
        import gc, weakref
        from tensorboard.plugins import base_plugin
        from tb_scopes_plugin import plugin

        class Node:
            pass

        cycle = Node()
        cycle.me = cycle  # garbage only a collection frees
        dead = weakref.ref(cycle)
        del cycle
        assert gc.get_freeze_count() == 0
        plugin.ScopesPlugin(base_plugin.TBContext(data_provider=None))
        print(gc.get_freeze_count() > 10_000, dead() is None)
        """
    )
    assert out == "True True"


def test_the_host_is_frozen_once_per_process():
    out = _run(
        """
        import gc
        from tb_scopes_plugin import gc_pause

        gc_pause.freeze_host()
        first = gc.get_freeze_count()
        later = [[n] for n in range(5_000)]  # objects made after: a second plugin must not freeze them
        gc_pause.freeze_host()
        print(first > 0, gc.get_freeze_count() == first)
        """
    )
    assert out == "True True"
