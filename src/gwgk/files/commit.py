"""Writing several files all or nothing (``write_all``): every new content beside its target first,
then a journal under ``.gwgk/journal/``, then the renames; a commit a killed process left half done
is completed by the next command (``finish_commits``)."""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

from gwgk.errors import ConflictError, GwgkError, UsageError
from gwgk.files import swap
from gwgk.files.storage import (
    _EXCLUSIVE,
    _TEMPS,
    ANY,
    TEMP_PREFIX,
    WRITTEN,
    _matches,
    _new_temp,
    _protected_above,
    clean_stale_temps,
    fill_temp,
    fingerprint,
    followed,
    target_mode,
    write_atomic,
)

JOURNAL_PREFIX = ".gwgk-commit-"


def write_all(items: list[tuple[Path, bytes, object]], journal_dir: Path, *, make_parents: bool = False,
              refuse_in: list[Path] | None = None, what: str = "", follow_links: bool = False) -> None:
    """Write several files all or nothing: ``items`` are (path, data, ``expected`` as for
    ``write_atomic``).

    First every new content is written to a temp file beside its target and fsynced, and every
    target checked against ``expected``: a failure there (a full disk, a changed file) removes the
    temps and writes nothing. Then a journal naming each temp and target (with their contents'
    hashes) is written under ``journal_dir`` and the temps are renamed into place one by one; a
    rename cannot run out of room. A process killed between two renames leaves the journal, and
    ``finish_commits`` (run by the next command) completes it, so the files are never left half
    written. ``follow_links`` as for ``write_atomic``. ``refuse_in``: folders none of the targets may be in (checked on each folder's
    descriptor, as ``write_into_folder`` does).
    """
    if not items:
        return
    if len(items) == 1:  # one file: the atomic replace is all or nothing already
        path, data, expected = items[0]
        if make_parents:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"无法创建文件夹“{path.parent}”：{exc.strerror or exc}") from None
        if refuse_in:
            _refuse_folder(path, refuse_in, what)
        write_atomic(path, data, make_parents=make_parents, expected=expected, what=what, follow_links=follow_links)
        return
    from filelock import FileLock

    try:
        journal_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GwgkError(f"无法创建文件夹“{journal_dir}”：{exc.strerror or exc}，所有文件都没有改动") from None
    journal = journal_dir / f"{JOURNAL_PREFIX}{os.getpid()}.{next(_TEMPS)}.json"
    try:
        with FileLock(str(journal) + ".lock"):  # held while the commit runs: ``finish_commits`` leaves it alone
            _prepare_and_commit([(followed(p) if follow_links else p, d, e) for p, d, e in items], journal, make_parents, refuse_in, what)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(str(journal) + ".lock")


def _prepare_and_commit(items: list[tuple[Path, bytes, object]], journal: Path, make_parents: bool,
                        refuse_in: list[Path] | None, what: str) -> None:
    prepared: list[tuple[Path, str, str | None, str]] = []  # path, temp, fingerprint before (None: absent), after
    for folder in {path.parent for path, _, _ in items}:
        clean_stale_temps(folder)  # left by a writer killed here earlier (a pending journal's were completed first)
    folders: dict[Path, int] = {}  # with ``refuse_in``: each folder open once, checked and written through its descriptor
    try:
        _prepare(items, journal, make_parents, refuse_in, what, prepared, folders)
        kept = _commit(journal, prepared, folders)
    finally:
        for dir_fd in folders.values():
            os.close(dir_fd)
    if kept:
        raise ConflictError("、".join(f"“{p}”" for p in kept) + "在写入时被别人修改（可能有人正在手工编辑），为免覆盖，没有写入；请重新运行")


def _prepare(items: list[tuple[Path, bytes, object]], journal: Path, make_parents: bool, refuse_in: list[Path] | None,
             what: str, prepared: list[tuple[Path, str, str | None, str]], folders: dict[Path, int]) -> None:
    """Every new content in a temp file beside its target, fsynced, and the journal naming them."""
    try:
        for path, data, expected in items:
            if make_parents:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UsageError(f"无法创建文件夹“{path.parent}”：{exc.strerror or exc}，所有文件都没有改动") from None
            if refuse_in and path.parent not in folders:
                folders[path.parent] = _opened_folder(path, refuse_in, what)
            mode = target_mode(path, what)
            before = _current_fingerprint(path)
            if expected is not ANY and before != expected:
                raise ConflictError(f"“{path}”在执行期间被修改（可能有人正在手工编辑），为免覆盖，所有文件都没有写入；请重新运行")
            if path.parent in folders:
                tmp_base = f"{TEMP_PREFIX}{path.name[:60]}.{os.getpid()}.{next(_TEMPS)}"
                fd, tmp_name = os.open(tmp_base, _EXCLUSIVE, 0o600, dir_fd=folders[path.parent]), str(path.parent / tmp_base)
            else:
                fd, tmp_name = _new_temp(path.parent, path.name)
            prepared.append((path, tmp_name, before, fingerprint(data)))
            fill_temp(fd, data, mode, path, what)
        _write_journal(journal, prepared)
    except BaseException as exc:
        for _, tmp_name, _, _ in prepared:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        if isinstance(exc, OSError):
            where = prepared[-1][0] if prepared else items[0][0]
            raise GwgkError(f"写入“{where}”失败（{exc.strerror or exc}），原文件未改动，其他文件也都没有改动") from None
        raise


def _current_fingerprint(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return fingerprint(handle.read())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GwgkError(f"无法读取“{path}”：{exc.strerror or exc}") from None


def _refuse_folder(path: Path, refuse_in: list[Path], what: str) -> None:
    os.close(_opened_folder(path, refuse_in, what))


def _opened_folder(path: Path, refuse_in: list[Path], what: str) -> int:
    """A descriptor of ``path``'s folder, refused (closed, ``UsageError``) if it is or lies inside one of ``refuse_in``."""
    dir_fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        inside = _protected_above(dir_fd, refuse_in)
    except BaseException:
        os.close(dir_fd)
        raise
    if inside is not None:
        os.close(dir_fd)
        raise UsageError(f"{what} 不能写到工作区的 {inside.name}/ 文件夹里（“{path}”）：那里只放任务目录、台账和 gwgk 自己的文件")
    return dir_fd


def _write_journal(journal: Path, prepared: list[tuple[Path, str, str | None, str]]) -> None:
    """The journal, complete and on disk before the first rename (a failure raises ``OSError``)."""
    import json

    body = [{"path": str(Path(path).absolute()), "temp": str(Path(tmp).absolute()), "before": before, "after": after}
            for path, tmp, before, after in prepared]
    fd, tmp_name = _new_temp(journal.parent, journal.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(body, ensure_ascii=False).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, journal)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(str(journal.parent))


def _commit(journal: Path, prepared: list[tuple[Path, str, str | None, str]], folders: dict[Path, int] | None = None) -> list[Path]:
    """Rename every temp of a journal into place (those whose target still holds what it held
    before), then remove the journal; returns the targets changed by someone else meanwhile,
    which are kept as they are. Also how an interrupted commit is completed. A target whose
    folder is open in ``folders`` (outputs) is renamed relative to that descriptor."""
    kept = []
    for path, tmp_name, before, after in prepared:
        dir_fd = (folders or {}).get(Path(path).parent)
        if dir_fd is not None:
            os.replace(Path(tmp_name).name, Path(path).name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            WRITTEN.append(Path(path))
            continue
        if not os.path.exists(tmp_name):
            continue  # renamed already (a commit completed a second time)
        if swap.replace_if(Path(tmp_name), Path(path), functools.partial(_matches, expected=before)):
            WRITTEN.append(Path(path))
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)  # after an exchange it names the old file
        elif _current_fingerprint(Path(path)) != after:  # not this commit's own content, completed before
            kept.append(Path(path))
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)  # the target was changed by hand meanwhile: theirs is kept
        else:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    for folder in {os.path.dirname(str(path)) for path, _, _, _ in prepared}:
        _fsync_folder(folder)
    with contextlib.suppress(OSError):
        os.unlink(journal)
    _fsync_folder(str(journal.parent))
    return kept


def _fsync_folder(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def finish_commits(journal_dir: Path) -> int:
    """Complete every commit a killed process left half done (its journal under ``journal_dir``,
    no longer locked by a living writer); returns how many."""
    import json

    from filelock import FileLock, Timeout

    finished = 0
    try:
        journals = sorted(journal_dir.glob(JOURNAL_PREFIX + "*.json"))
    except OSError:
        return 0
    for journal in journals:
        try:
            with FileLock(str(journal) + ".lock", timeout=0):
                try:
                    body = json.loads(journal.read_bytes())
                    prepared = [(Path(i["path"]), str(i["temp"]), i["before"], str(i["after"])) for i in body]
                except (OSError, ValueError, KeyError, TypeError):
                    continue
                _commit(journal, prepared)
                finished += 1
            with contextlib.suppress(OSError):
                os.unlink(str(journal) + ".lock")
        except (Timeout, OSError):
            continue  # its writer is still at work
    return finished
