"""Writing files so that nothing is ever half-written or silently overwritten.

* ``write_atomic``: temp file in the same folder, flushed and fsynced, then swapped into place;
  with ``expected``, only if the file still holds what was read (see ``swap``).
* ``locked``: an exclusive ``filelock`` per file (``<file>.lock``), so concurrent writers queue.
* ``fingerprint``: what a file looked like when read, to refuse writing over a change made since.
* ``WRITTEN``: the files this process has written, so an error after a write can say so.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gwgk.errors import ConflictError, GwgkError, UsageError
from gwgk.files import swap

LOCK_TIMEOUT_SECONDS = 30.0
TEMP_PREFIX = ".gwgk-tmp-"
WRITTEN: list[Path] = []  # durable writes of this run, in order (reset by the command layer)
ANY = object()  # ``expected`` for "whatever is there now"


def creation_mode() -> int:
    """The mode a new file gets under this process's umask (0o644 under umask 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def target_mode(path: Path, what: str = "", dir_fd: int | None = None) -> int:
    """The mode ``path`` is to be written with: its own mode when it exists, else the umask's
    (``dir_fd``: the folder is open as it, and ``path.name`` is looked up in it).

    Refuses (``UsageError``) a target that is not a regular file (device node, FIFO, socket,
    folder) or whose mode marks it read-only: gwgk never replaces what it must not, even as root.
    ``what`` names the target in the messages (as ``--output``).
    """
    try:
        info = os.stat(path) if dir_fd is None else os.stat(path.name, dir_fd=dir_fd)
    except FileNotFoundError:
        return creation_mode()
    except OSError as exc:
        raise UsageError(f"无法写入{what}“{path}”：{exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{what}“{path}”是一个文件夹，不能写成文件")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{what}“{path}”不是普通文件（是设备、管道或套接字），拒绝写入")
    if not info.st_mode & 0o222:
        raise UsageError(f"{what}“{path}”是只读文件（权限 {stat.filemode(info.st_mode)}），拒绝替换；如确需写入，请先改为可写")
    return stat.S_IMODE(info.st_mode)


def write_atomic(path: Path, data: bytes, *, make_parents: bool = False, durable: bool = True,
                 expected: object = ANY, what: str = "", follow_links: bool = False) -> None:
    """Replace ``path`` with ``data`` in one step; on any failure the old file is untouched.

    ``durable=False`` skips the fsync: for files that may be lost in a power cut (cache entries).
    ``expected`` is the ``fingerprint`` the file must still have (None: must not exist); a file
    changed meanwhile, even during the replace itself, is kept and ``ConflictError`` raised.
    ``what`` names the target in refusals (``target_mode``). ``follow_links``: a symbolic link at
    ``path`` is kept and the file it names replaced (a ledger kept elsewhere); otherwise the link
    itself is replaced, never what it points at (a cache entry linked to a ledger).
    """
    if follow_links:
        path = followed(path)
    folder = path.parent
    if make_parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}") from None
    mode = target_mode(path, what)
    tmp_name = None
    try:
        fd, tmp_name = _new_temp(folder, path.name)
        fill_temp(fd, data, mode, path, what, durable=durable)
        if expected is ANY:
            os.replace(tmp_name, path)
        elif not swap.replace_if(Path(tmp_name), path, lambda old: _matches(old, expected)):
            raise ConflictError(f"“{path}”在写入时被别人修改（可能有人正在手工编辑），为免覆盖，没有写入；请重新运行")
        if not os.path.exists(tmp_name):
            tmp_name = None
        if durable:
            WRITTEN.append(path)
    except OSError as exc:
        raise GwgkError(f"写入“{path}”失败，原文件未改动：{exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def followed(path: Path) -> Path:
    """The file a write of ``path`` replaces: a symbolic link's target (the link is kept and goes on
    naming the file that receives the writes), else ``path`` itself."""
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


def fill_temp(fd: int, data: bytes, mode: int, path: Path, what: str, *, durable: bool = True, identity: bool = True) -> None:
    """Write ``data`` into the new temp file ``fd`` (closed after) that will replace ``path``: with
    ``path``'s mode and, with ``identity``, its owner, group and extended attributes; synced to
    disk unless not ``durable``."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        with contextlib.suppress(OSError):
            os.fchmod(handle.fileno(), mode)
        if identity:
            keep_identity(handle.fileno(), path, what)
        if durable:
            os.fsync(handle.fileno())


def keep_identity(fd: int, path: Path, what: str = "") -> None:
    """Give the new file open as ``fd`` the owner, group and extended attributes (ACLs among them)
    of the file ``path`` it is to replace. Refuses (``UsageError``) what cannot be kept, so that a
    write never silently changes who owns a file or what its attributes allow."""
    try:
        old = os.stat(path)
    except OSError:
        return  # a new file: the process's own identity and umask
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.fchown(fd, old.st_uid if new.st_uid != old.st_uid else -1, old.st_gid if new.st_gid != old.st_gid else -1)
        except OSError:
            raise UsageError(f"{what}“{path}”属于另一个用户或组（uid {old.st_uid}，gid {old.st_gid}），以当前用户替换会改变它的所有者，"
                             "拒绝写入；请以该用户运行，或先统一文件的所有者") from None
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(path)
    except OSError:
        return  # the file system keeps none
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(path, name))
        except OSError as exc:
            raise UsageError(f"{what}“{path}”的扩展属性 {name} 无法保留（{exc.strerror or exc}），拒绝替换") from None


_TEMPS = itertools.count()
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _new_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file beside the target, created exclusively (never an existing file or a
    link), named for the process and a counter: mkstemp's random names cost a cold province run
    ten thousand draws for no safety O_EXCL does not already give."""
    for _ in range(100):
        tmp_name = os.path.join(folder, f"{TEMP_PREFIX}{name[:60]}.{os.getpid()}.{next(_TEMPS)}")
        try:
            return os.open(tmp_name, _EXCLUSIVE, 0o600), tmp_name
        except FileExistsError:  # left by an earlier process with the same pid
            continue
    return tempfile.mkstemp(prefix=TEMP_PREFIX + name[:60] + ".", dir=folder)


def write_into_folder(path: Path, data: bytes, *, refuse_in: list[Path], what: str = "--output") -> None:
    """Write ``data`` as ``path`` through one descriptor of its folder, opened once: the check that
    the folder is not inside any of ``refuse_in`` and the write itself concern the same folder, so
    swapping the folder (or a folder above it) for a link between the two cannot move the write
    (``openat``/``renameat`` relative to the descriptor). Refuses (``UsageError``) a folder inside
    ``refuse_in``; on any failure the old file is untouched and no temp file is left.
    """
    folder = path.parent
    if not _DIR_FD:  # Windows: no descriptor-relative calls, the name is checked then written
        real = Path(os.path.realpath(path))
        for protected in refuse_in:
            if real == protected or protected in real.parents:
                raise UsageError(f"{what} 不能写到工作区的 {protected.name}/ 文件夹里（“{path}”）：那里只放任务目录、台账和 gwgk 自己的文件")
        write_atomic(path, data, make_parents=True, what=what)
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}") from None
    try:
        dir_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise UsageError(f"无法打开{what}的文件夹“{folder}”：{exc.strerror or exc}") from None
    tmp_name = None
    try:
        inside = _protected_above(dir_fd, refuse_in)
        if inside is not None:
            raise UsageError(f"{what} 不能写到工作区的 {inside.name}/ 文件夹里（“{path}”）：那里只放任务目录、台账和 gwgk 自己的文件")
        clean_stale_temps(folder)  # left by a writer killed here earlier
        mode = target_mode(path, what, dir_fd)
        tmp_name = f"{TEMP_PREFIX}{path.name[:60]}.{os.getpid()}.{next(_TEMPS)}"
        fd = os.open(tmp_name, _EXCLUSIVE, 0o600, dir_fd=dir_fd)
        fill_temp(fd, data, mode, path, what, identity=not os.path.islink(path))
        os.replace(tmp_name, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        tmp_name = None
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)  # the rename itself survives a power cut
        WRITTEN.append(path)
    except OSError as exc:
        raise GwgkError(f"写入“{path}”失败，原文件未改动：{exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name, dir_fd=dir_fd)
        os.close(dir_fd)


def _protected_above(dir_fd: int, folders: list[Path]) -> Path | None:
    """Which of ``folders`` the folder open as ``dir_fd`` is, or lies inside (by device and inode,
    walking up through ``..`` from the descriptor itself, never by name)."""
    ids: dict[tuple[int, int], Path] = {}
    for folder in folders:
        with contextlib.suppress(OSError):
            info = os.stat(folder)
            ids[(info.st_dev, info.st_ino)] = folder
    if not ids:
        return None
    current = os.dup(dir_fd)
    try:
        for _ in range(PATH_DEPTH):
            info = os.fstat(current)
            found = ids.get((info.st_dev, info.st_ino))
            if found is not None:
                return found
            parent = os.open("..", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0), dir_fd=current)
            parent_info = os.fstat(parent)
            os.close(current)
            current = parent
            if (parent_info.st_dev, parent_info.st_ino) == (info.st_dev, info.st_ino):
                return None  # the root
        return None
    finally:
        os.close(current)


PATH_DEPTH = 4096
_DIR_FD = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd  # os.replace takes dir_fd where rename does


def _matches(old: bytes | None, expected: object) -> bool:
    return (None if old is None else fingerprint(old)) == expected


@contextlib.contextmanager
def locked(lock_file: Path, what: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock ``lock_file`` (guarding the file named ``what``) for the block.

    The lock is an OS lock (``fcntl``/``msvcrt``), so a killed process releases it: a stale
    lock file left behind never blocks the next run.
    """
    with locked_all([(lock_file, what)], timeout):
        yield


@contextlib.contextmanager
def locked_all(locks: list[tuple[Path, str]], timeout: float | None = None) -> Iterator[None]:
    """Hold every lock of ``locks`` (lock file, what it guards) for the block, or none of them.

    Locks are taken in the order of their paths, so two processes wanting overlapping sets never
    wait on each other in a circle.
    """
    from filelock import FileLock, Timeout

    timeout = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    with contextlib.ExitStack() as stack:
        for lock_file, what in sorted(set(locks), key=lambda item: str(item[0])):
            try:
                lock_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GwgkError(f"无法创建锁文件夹“{lock_file.parent}”：{exc.strerror or exc}") from None
            try:
                stack.enter_context(FileLock(str(lock_file), timeout=timeout))
            except Timeout:
                raise ConflictError(f"“{what}”正被另一个 gwgk 进程写入，等待 {timeout:.0f} 秒后仍未释放，请稍后再试") from None
        yield


def fingerprint(data: bytes) -> str:
    """A short content hash, to tell whether a file changed between read and write."""
    return hashlib.sha256(data).hexdigest()


def clean_stale_temps(folder: Path, older_than_seconds: float = 3600.0, now: float | None = None) -> int:
    """Remove temp files a killed writer left behind (only ours, only old ones); returns how many."""
    import time

    now = time.time() if now is None else now
    removed = 0
    if not folder.is_dir():
        return 0
    for path in folder.glob(TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if now - path.lstat().st_mtime > older_than_seconds:
                path.unlink()
                removed += 1
    return removed
