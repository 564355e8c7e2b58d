"""What the commands share: finding the workspace, reading ``--as-of``, choosing a format, output."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from gwgk.errors import UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from gwgk.catalogue.model import Catalogue
    from gwgk.entries.model import Stamp
    from gwgk.files.workspace import Workspace
    from gwgk.render.table import Block

AS_OF_HELP = "按哪一天计算（如 2021-10-08）；默认是今天（北京时间）。"
FORMAT_HELP = "输出格式：{}。"


NO_CACHE_HELP = "不读也不写 .gwgk/cache/ 中的缓存，只按任务目录和台账文件本身计算（较慢，用于核对结果）。"


def workspace(ctx: typer.Context, *, use_cache: bool = True) -> Workspace:
    """The workspace named by ``--workspace``, ``GWGK_WORKSPACE`` or found up from here
    (``use_cache=False``: read from its files alone)."""
    from gwgk.files.workspace import find

    root = ctx.find_root()
    option = (root.obj or {}).get("workspace") if root.obj else None
    found = find(option, os.environ, Path.cwd())
    _protected[:] = [Path(os.path.realpath(p)) for p in found.protected_dirs]
    if os.path.isdir(found.journal_dir):  # a write of several files that a killed process left half done
        from gwgk.files.commit import finish_commits

        finish_commits(found.journal_dir)
    return found if use_cache else found.without_cache()


def catalogue(ws: Workspace) -> Catalogue:
    """The workspace's validated catalogue (exit 2 with every problem if it is broken)."""
    from gwgk.catalogue.load import load_catalogue

    return load_catalogue(ws.tasks_path, ws.units_path, ws.name(ws.tasks_path), ws.name(ws.units_path), ws.cache_dir)


def as_of(text: str | None) -> dt.date:
    """The ``--as-of`` date, or today in Asia/Shanghai."""
    from gwgk.judge.dates import CHINA, parse_date, today

    if text is None:
        return today(dt.datetime.now(CHINA))
    return parse_date(text, "--as-of 日期")


BY_HELP = "写入人姓名（记入每条登记的 by）；不写时用环境变量 GWGK_USER，再没有就用登录名。"


def stamp(by: str | None) -> Stamp:
    """Who writes (``--by``, else ``GWGK_USER``, else the login name) and the real moment now, in
    Asia/Shanghai with its offset, to the second: what every entry a command writes carries as
    ``by`` and ``at``, whatever ``--as-of`` says."""
    import getpass

    from gwgk.entries.model import MAX_NAME, Stamp
    from gwgk.judge.dates import CHINA

    name, what = by, "--by"
    if name is None or not name.strip():
        name, what = os.environ.get("GWGK_USER"), "环境变量 GWGK_USER"
    if name is None or not name.strip():
        what = "登录名"
        try:
            name = getpass.getuser()
        except Exception:  # no login name at all (a container without a passwd entry): say so
            name = "未知"
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise UsageError(f"{what} 给出的写入人姓名“{name[:MAX_NAME]}”不能用：应是 1 至 {MAX_NAME} 个可见字符")
    now = _now(CHINA).replace(microsecond=0)
    return Stamp(now.astimezone(dt.timezone(now.utcoffset() or dt.timedelta())), name)


def _now(zone: dt.tzinfo) -> dt.datetime:
    """The clock (one function, so that a test can stand in for it)."""
    return dt.datetime.now(zone)


def choose(value: str, allowed: tuple[str, ...], option: str = "--format") -> str:
    """``value`` if it is one of ``allowed``, else a Chinese usage error."""
    folded = value.strip().lower()
    if folded not in allowed:
        raise UsageError(f"{option} 的值“{value}”不支持，可选：{'、'.join(allowed)}")
    return folded


def output_path(template: str, day: dt.date, unit: str | None = None) -> Path:
    """The ``--output`` path with ``{date}`` replaced by the as-of date (and ``{unit}`` by ``unit``,
    for a command that writes a file per unit).

    Refused (exit 2): a name or path too long for the file system, and any path inside the
    workspace's ``data/``, ``ledgers/`` or ``.gwgk/`` (a report never replaces the records).
    """
    if "{" in template.replace("{date}", "").replace("{unit}", ""):
        raise UsageError(f"--output 里只能用 {{date}} 和 {{unit}} 这两个占位符：“{template}”")
    if unit is None and "{unit}" in template:
        raise UsageError(f"这个命令只写一个文件，--output 里不能用 {{unit}}：“{template}”")
    path = Path(template.replace("{date}", day.isoformat()).replace("{unit}", unit or "")).expanduser()
    if not path.name or any(len(os.fsencode(part)) > NAME_MAX for part in path.parts) or len(os.fsencode(str(path.absolute()))) > PATH_MAX:
        raise UsageError(f"--output 的文件名或路径太长（每段最多 {NAME_MAX} 字节，全长最多 {PATH_MAX} 字节）")
    real = Path(os.path.realpath(path))
    for folder in _protected:
        if real == folder or folder in real.parents:
            raise UsageError(f"--output 不能写到工作区的 {folder.name}/ 文件夹里（“{path}”）：那里只放任务目录、台账和 gwgk 自己的文件")
    return path


NAME_MAX = 255
PATH_MAX = 4096
_protected: list[Path] = []  # the real paths of the workspace's own folders, set by ``workspace``


def emit(text: str, output: str | None, day: dt.date, *, bom: bool = False, unit: str | None = None) -> Path | None:
    """Print ``text``, or write it atomically to ``--output`` (returns the path written; ``unit``
    fills its ``{unit}``)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        return None
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    return emit_bytes(data, output, day, unit)


def per_unit(output: str | None) -> bool:
    """Whether ``--output`` names a file per unit (``{unit}``)."""
    return output is not None and "{unit}" in output


def emit_bytes(data: bytes, output: str, day: dt.date, unit: str | None = None) -> Path:
    """Write bytes atomically to ``--output`` (``unit`` fills its ``{unit}``), through one descriptor
    of its folder (``files.storage.write_into_folder``)."""
    from gwgk.files.storage import write_into_folder

    path = output_path(output, day, unit)
    write_into_folder(path, data, refuse_in=list(_protected))
    return path


def bulk_result(result: Any, fmt: str) -> None:
    """Print the one result of a bulk command: its Chinese lines, or its JSON."""
    if fmt == "json":
        sys.stdout.write(json_text(result))
    else:
        sys.stdout.write("".join(line + "\n" for line in result.lines()))


def emit_all(files: list[tuple[str, bytes]], folder: Path, journal_dir: Path) -> None:
    """Write several files (name, bytes) into the ``--output`` folder ``folder``: all or none."""
    from gwgk.files.commit import write_all
    from gwgk.files.storage import ANY

    write_all([(folder / name, data, ANY) for name, data in files], journal_dir, make_parents=True,
              refuse_in=list(_protected), what="--output")


def json_text(model: BaseModel) -> str:
    """The JSON text of a report model: UTF-8 Chinese, two-space indent."""
    return model.model_dump_json(indent=2) + "\n"


def text_width() -> int:
    """How wide plain-text tables are drawn: ``COLUMNS`` if set, else 120 (pipes, files, cron)."""
    from gwgk.render.terminal import DEFAULT_WIDTH

    try:
        return int(os.environ.get("COLUMNS", DEFAULT_WIDTH))
    except ValueError:
        return DEFAULT_WIDTH


def table_text(blocks: list[Block]) -> str:
    """Plain text (no colour) of terminal blocks, for files and pipes."""
    from gwgk.render.terminal import console_text

    return console_text(blocks, text_width())


def show(blocks: list[Block]) -> None:
    """Print terminal blocks: coloured and as wide as the terminal on a terminal, plain in a pipe."""
    import shutil

    from gwgk.render.terminal import DEFAULT_WIDTH, console_text

    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        sys.stdout.write(console_text(blocks, width, color=True))
    else:
        sys.stdout.write(table_text(blocks))


def require_file(fmt: str, output: str | None) -> None:
    """A Word document goes to a file, never to the terminal."""
    from gwgk.errors import UsageError

    if fmt == "docx" and output is None:
        raise UsageError("Word 文档（docx）不能显示在终端上，请用 --output 指定文件，如 --output '回头看通报-{date}.docx'")


def deliver(fmt: str, model: BaseModel, output: str | None, day: dt.date, *, silent: bool = False,
            table: Callable[[Any], list[Block]], texts: Mapping[str, Callable[[Any], str]],
            docx: Callable[[], bytes] | None = None, announce: bool = True, unit: str | None = None) -> None:
    """Render ``model`` in ``fmt`` (``table`` for the terminal, ``texts`` by format, JSON from the
    model itself, ``docx`` the Word document's bytes) and print it or write it to ``--output``
    (saying where on stderr when ``announce``; ``unit`` fills its ``{unit}``); ``silent`` prints nothing."""
    announce = announce and not silent
    if fmt == "docx" and docx is not None and output is not None:
        path = emit_bytes(docx(), output, day, unit)
        if announce:
            print(f"已写入 {path}", file=sys.stderr)
        return
    if fmt == "json":
        text = json_text(model)
    elif fmt in texts:
        text = texts[fmt](model)
    else:
        blocks = table(model)
        if output is None:
            if not silent:
                show(blocks)
            return
        text = table_text(blocks)
    if output is None:
        if not silent:
            emit(text, None, day)
        return
    written = emit(text, output, day, bom=fmt == "csv", unit=unit)
    if announce:
        print(f"已写入 {written}", file=sys.stderr)
