"""Collection pauses: the `tensorboard` command's startup objects frozen once, its garbage collected
first; nothing frozen when TensorBoard runs inside another program."""

import subprocess
import sys
import textwrap


def _run(code, *args):
    """`code` in a fresh interpreter (freezing is for the whole process); its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_the_tensorboard_command_freezes_what_it_holds_when_it_loads_the_plugin(tmp_path):
    # The command's own entry point, in this process's main thread; a thread reports and exits.
    out = _run(
        """
        import gc, os, sys, threading, time
        from tensorboard import main

        def report():
            deadline = time.time() + 60
            while gc.get_freeze_count() == 0 and time.time() < deadline:
                time.sleep(0.05)
            from tb_scopes_plugin import plugin  # loaded by TensorBoard, from its entry point
            print(gc.get_freeze_count() > 10_000, flush=True)
            os._exit(0)

        threading.Thread(target=report, daemon=True).start()
        sys.argv = ["tensorboard", "--logdir", sys.argv[1], "--port", "0", "--load_fast", "false"]
        main.run_main()
        """,
        tmp_path,
    )
    assert out == "True"


def test_tensorboard_launched_inside_another_program_freezes_none_of_its_objects(tmp_path):
    # A notebook's way (program.TensorBoard().launch()): the user's objects stay collectable.
    out = _run(
        """
        import gc, json, sys, urllib.request
        from tensorboard import program

        board = program.TensorBoard()
        board.configure(argv=[None, "--logdir", sys.argv[1], "--port", "0", "--load_fast", "false"])
        url = board.launch()
        listing = json.load(urllib.request.urlopen(url + "data/plugins_listing"))
        print("scopes" in listing, gc.get_freeze_count())
        """,
        tmp_path,
    )
    assert out == "True 0"


def test_freezing_collects_the_garbage_first_and_happens_once_per_process():
    out = _run(
        """
        import gc, weakref
        from tb_scopes_plugin import gc_pause

        class Node:
            pass

        cycle = Node()
        cycle.me = cycle  # garbage only a collection frees
        dead = weakref.ref(cycle)
        del cycle
        gc_pause.freeze_host()
        first = gc.get_freeze_count()
        later = [[n] for n in range(5_000)]  # objects made after: a second call must not freeze them
        gc_pause.freeze_host()
        print(dead() is None, first > 0, gc.get_freeze_count() == first)
        """
    )
    assert out == "True True True"
