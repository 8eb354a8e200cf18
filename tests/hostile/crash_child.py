"""Child process for the crash test: commit one new base and SIGKILL itself at the K-th
file-system call of the commit (os.write, os.fsync, os.replace, os.unlink), K=0: never.

`python -m tests.hostile.crash_child DATA_DIR K BASE_NUMBER`; exit 0 when the commit ran whole."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from analysis.editing import auth, store
from analysis.editing.changes import prepare
from analysis.editing.upload import read_upload
from tests.data_manager_files import NEW_BASE, fixture_text


def main(data_dir: Path, kill_at: int, i: int) -> None:
    text = fixture_text("bases").splitlines()[0] + "\n" + NEW_BASE.replace("fb-9", f"fb-{i}") + "\n"
    proposal = prepare(read_upload(text.encode(), "crash.csv", "bases"), data_dir)
    calls = [0]
    for name in ("write", "fsync", "replace", "unlink"):
        real = getattr(os, name)

        def wrapped(*args, _real=real, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return _real(*args, **kwargs)
        setattr(os, name, wrapped)
    store.commit(proposal, auth.operator_token("crash"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
