"""Private files: directories 0700, files 0600, written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; a directory we create is 0700."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        # mkdir's mode is filtered by the umask; make the leaf private regardless.
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically: temp file, fsync, rename; mode 0600.

    A reader sees either the old content or the new, never a torn file, even if
    the process is killed half way.
    """
    private_dir(path.parent)
    temp_name = _written_temp(path, data)
    try:
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create `path` with `data` (0600); FileExistsError if it exists, even if it
    appeared a moment ago. Never a half-written file."""
    if path.exists() or path.is_symlink():
        raise FileExistsError(path)
    temp_name = _written_temp(path, data)
    try:
        # link() fails if the name exists, so even a file created a moment ago is
        # never replaced.
        try:
            os.link(temp_name, path)
        except FileExistsError:
            raise
        except OSError:
            # No hard links on this file system: exclusive create is the next best.
            with open(path, "xb") as handle:
                handle.write(data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)


def _written_temp(path: Path, data: bytes) -> str:
    """A finished, fsynced 0600 temporary file beside `path`; returns its name."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return temp_name


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
