"""What both fuzz targets share: a scratch folder, seed files for an empty corpus, atheris' arguments."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def scratch_folder(prefix: str) -> Path:
    """A temporary folder, in memory (/dev/shm) where there is one."""
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix=prefix, dir=shm if shm.is_dir() else None))


def seed_corpus(argv: list[str], seeds: dict[str, bytes]) -> None:
    """Write the seeds into the corpus folder named on the command line, if it is empty."""
    folders = [Path(arg) for arg in argv[1:] if not arg.startswith("-")]
    for folder in folders[:1]:
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            for name, data in seeds.items():
                (folder / name).write_bytes(data)


def run(test_one_input, seeds: dict[str, bytes]) -> None:
    import atheris

    seed_corpus(sys.argv, seeds)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
