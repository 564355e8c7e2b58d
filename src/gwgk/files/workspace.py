"""Where a workspace is (``--workspace``, ``GWGK_WORKSPACE``, or up from the current folder),
its paths, and making a new one from the bundled catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from gwgk.errors import WorkspaceError

ENV_VAR = "GWGK_WORKSPACE"
CATALOGUE_FILES = ("tasks.yaml", "units.yaml")
SOURCE_FILES = ("README.md", "xingyi-2021-work-plan.txt", "xingyi-townships-2021.csv")


@dataclass(frozen=True)
class Workspace:
    """A folder with ``data/`` (the catalogue) and ``ledgers/`` (one 台账 per unit).

    The ledgers of the plan in ``data/tasks.yaml`` are ``ledgers/<unit>.yaml``; those of a plan in
    ``data/plans/<year>.yaml`` are ``ledgers/<year>/<unit>.yaml`` (``plan_folder`` is the year), so
    a unit's entries for different plan years never mix.
    """

    root: Path
    plan_folder: str = ""
    use_cache: bool = True

    def for_plan(self, folder: str) -> Workspace:
        """The same workspace, its ledgers those of the plan whose ledgers live in ``folder``."""
        return replace(self, plan_folder=folder)

    @property
    def tasks_path(self) -> Path:
        """``data/tasks.yaml``."""
        return self.root / "data" / "tasks.yaml"

    @property
    def units_path(self) -> Path:
        """``data/units.yaml``."""
        return self.root / "data" / "units.yaml"

    @property
    def ledgers_dir(self) -> Path:
        """``ledgers/`` (``ledgers/<year>/`` for a plan of ``data/plans/``)."""
        return self.root / "ledgers" / self.plan_folder if self.plan_folder else self.root / "ledgers"

    @property
    def locks_dir(self) -> Path:
        """``.gwgk/locks/``: one lock file per ledger, so ``ledgers/`` holds only ledgers."""
        return self.root / ".gwgk" / "locks" / self.plan_folder if self.plan_folder else self.root / ".gwgk" / "locks"

    @property
    def journal_dir(self) -> Path:
        """``.gwgk/journal/``: what a write of several files is about to rename into place, so a
        killed one is completed by the next command (``storage.finish_commits``)."""
        return self.root / ".gwgk" / "journal"

    @property
    def cache_dir(self) -> Path | None:
        """``.gwgk/cache/``: parsed files, safe to delete (None when the cache is not to be used)."""
        return self.root / ".gwgk" / "cache" if self.use_cache else None

    def without_cache(self) -> Workspace:
        """The same workspace, read from its files alone: no cache entry read or written."""
        return Workspace(self.root, use_cache=False)

    @property
    def log_dir(self) -> Path:
        """``log/``: the append-only logs of what went out to the units and came back."""
        return self.root / "log"

    @property
    def protected_dirs(self) -> tuple[Path, ...]:
        """Folders whose files only gwgk's own writes may replace: ``data/``, ``ledgers/``, ``log/``, ``.gwgk/``."""
        return (self.root / "data", self.ledgers_dir, self.log_dir, self.root / ".gwgk")

    def name(self, path: Path) -> str:
        """``path`` as shown to the user: relative to the workspace where it can be."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _is_workspace(folder: Path) -> bool:
    return (folder / "data" / "tasks.yaml").is_file()


def find(option: str | None, env: Mapping[str, str], cwd: Path) -> Workspace:
    """The workspace named by the option, else the environment, else found up from ``cwd``."""
    named = option or env.get(ENV_VAR)
    if named:
        folder = Path(named).expanduser()
        if not folder.is_absolute():
            folder = cwd / folder
        if not _is_workspace(folder):
            how = "--workspace" if option else f"环境变量 {ENV_VAR}"
            raise WorkspaceError(f"{how} 指定的“{named}”不是 gwgk 工作区（找不到 data/tasks.yaml）；可用 gwgk init {named} 新建")
        return Workspace(folder.resolve())
    for folder in (cwd, *cwd.parents):
        if _is_workspace(folder):
            return Workspace(folder.resolve())
    raise WorkspaceError(
        "当前文件夹及其上级都不是 gwgk 工作区（找不到 data/tasks.yaml）。"
        f"请进入工作区，或用 --workspace 目录 / 环境变量 {ENV_VAR} 指定，或用 gwgk init 目录 新建"
    )


def bundled_file(name: str) -> bytes:
    """A file of the catalogue shipped inside the package (``tasks.yaml``, ``source/...``)."""
    return resources.files("gwgk.bundled").joinpath(name).read_bytes()


def init(target: Path) -> Workspace:
    """A new workspace at ``target`` holding the bundled catalogue and an empty ``ledgers/``.

    Refuses (``WorkspaceError``) to touch a folder that already has a catalogue or ledgers.
    """
    target = target.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"“{target}”已存在且不是文件夹，没有创建工作区")
    existing = [p for p in (target / "data" / f for f in CATALOGUE_FILES) if p.exists()]
    ledgers = target / "ledgers"
    if existing or (ledgers.is_dir() and any(ledgers.iterdir())):
        raise WorkspaceError(f"“{target}”已经是工作区（已有 data/ 或 ledgers/ 中的文件），为免覆盖，没有做任何改动")
    contents = {f"data/{f}": bundled_file(f) for f in CATALOGUE_FILES}
    contents.update({f"data/source/{f}": bundled_file(f"source/{f}") for f in SOURCE_FILES})
    try:
        for relative, data in contents.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        ledgers.mkdir(parents=True, exist_ok=True)
        (target / ".gitignore").write_text(".gwgk/\n", encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"无法在“{target}”创建工作区：{exc.strerror or exc}") from None
    return Workspace(target)
