"""The typer application, its Chinese face, and the one place where errors become exit codes.

Only typer (and what it imports) is loaded here: pydantic, ruamel and openpyxl are imported inside
the commands that need them, so ``gwgk --help`` costs no more than typer itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
from typing import Any

import typer
from typer._click import decorators as click_decorators
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting
from typer.core import TyperGroup

from gwgk.errors import EXIT_FOUND, EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED, GwgkError

# ----------------------------------------------------------------- Chinese help and usage text

HELP_LABELS = {
    "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误", "DEFAULT_STRING": "[默认：{}]", "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]", "ABORTED_TEXT": "已中止。", "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "DEPRECATED_STRING": "（已弃用） ",
}


def chinese_help() -> None:
    """Put Chinese labels into typer's help renderer; imported only when help is shown (it loads rich)."""
    from typer import rich_utils


    for name, text in HELP_LABELS.items():
        setattr(rich_utils, name, text)
    if not getattr(rich_utils, "_gwgk_fold", False):
        made = rich_utils._make_command_help

        def folded(**kwargs: Any) -> Any:
            text = made(**kwargs)  # Chinese has no spaces to wrap at: fold it, never cut it with "…"
            if hasattr(text, "overflow"):
                text.overflow = "fold"
            return text

        rich_utils._make_command_help = folded
        rich_utils._gwgk_fold = True  # type: ignore[attr-defined]
    from typer.core import TyperArgument, TyperOption

    if not getattr(TyperOption, "_gwgk_types", False):
        shown = TyperOption.display_type_rich

        def display_type_rich(self: Any, ctx: Any) -> str | None:
            return None if self.is_flag else shown(self, ctx)  # a flag takes no value: no "<bool>"

        TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
        # arguments carry Chinese metavars (序号, 目录, 工作簿); typer's "<int>", "<list[Path]>" add English
        TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]
        TyperOption._gwgk_types = True  # type: ignore[attr-defined]


_write_usage = click_formatting.HelpFormatter.write_usage


def _write_usage_zh(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, prefix="用法：" if prefix is None else prefix)


click_formatting.HelpFormatter.write_usage = _write_usage_zh  # type: ignore[method-assign]

HELP_OPTION = "显示本帮助并退出。"
_help_option = click_decorators.help_option


def _help_option_zh(param_decls: list[str]) -> Any:
    decorate = _help_option(param_decls)

    def apply(command: Any) -> Any:
        result = decorate(command)
        command.params[-1].help = HELP_OPTION
        return result

    return apply


click_decorators.help_option = _help_option_zh
CONTEXT = {"help_option_names": ["-h", "--help"]}

_USAGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^No such option: (\S+)(?: Did you mean (.+)\?| \(Possible options: (.+)\))?$"), "没有选项 {0}{1}"),
    (re.compile(r"^No such command '(.+)'\. Did you mean (.+)\?$"), "没有命令“{0}”，您是不是要用 {1}？"),
    (re.compile(r"^No such command '(.+)'\.$"), "没有命令“{0}”"),
    (re.compile(r"^Missing command\.$"), "缺少命令，运行 gwgk --help 查看全部命令"),
    (re.compile(r"^Missing option '(.+?)'.*$"), "缺少必填选项 {0}"),
    (re.compile(r"^Missing argument '(.+?)'.*$"), "缺少必填参数 {0}"),
    (re.compile(r"^Missing parameter: (.+)$"), "缺少参数 {0}"),
    (re.compile(r"^Option '(.+?)' requires an argument\.$"), "选项 {0} 后面需要写一个值"),
    (re.compile(r"^Option '(.+?)' requires (\d+) arguments\.$"), "选项 {0} 后面需要写 {1} 个值"),
    (re.compile(r"^Option '(.+?)' does not take a value\.$"), "选项 {0} 后面不需要值"),
    (re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((.+)\)$"), "多余的参数：{0}"),
    (re.compile(r"^Invalid value for (.+?): '(.*)' is not a valid integer\.?$"), "{0} 的值“{1}”不是整数"),
    (re.compile(r"^Invalid value for (.+?): '(.*)' is not one of (.+)\.$"), "{0} 的值“{1}”不在可选范围内：{2}"),
    (re.compile(r"^Invalid value for (.+?): '?(.*?)'? ?(?:Input should be a valid integer.*)$"), "{0} 应为整数{1}"),
    (re.compile(r"^Invalid value for (.+?): (.+)$"), "{0} 的值无效：{1}"),
]


def usage_message(text: str) -> str:
    """The Chinese form of a click usage error (English text of unknown errors is kept)."""
    for pattern, template in _USAGE_PATTERNS:
        match = pattern.match(text.strip())
        if match:
            groups = [(g or "").replace("'", "") for g in match.groups()]  # click quotes the names it suggests
            if template.startswith("没有选项"):
                close = groups[1] or groups[2]
                groups[1] = f"，您是不是要用 {close.replace(', ', ' 或 ')}？" if close else ""
            return template.format(*groups)
    return text


def _print_error(lines: list[str]) -> None:
    stream = sys.stderr
    try:
        print(f"错误：{lines[0]}", file=stream)
        for line in lines[1:]:
            print(f"  {line}", file=stream)
        stream.flush()
    except (OSError, ValueError):
        pass  # stderr itself is closed or full: the exit code still tells


# ----------------------------------------------------------------- what was written, and output

def _written() -> list[str]:
    """The files this run has written (``files.storage`` records them), for messages after a write."""
    storage = sys.modules.get("gwgk.files.storage")
    return [str(p) for p in getattr(storage, "WRITTEN", ())]


def _forget_written() -> None:
    storage = sys.modules.get("gwgk.files.storage")
    if storage is not None:
        storage.WRITTEN.clear()


def _written_lines() -> list[str]:
    written = _written()
    if not written:
        return []
    return ["注意：在出错之前，以下文件已经写入（内容完整）：", *written]


def _silence_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit


OS_ERRORS = {
    "ENOSPC": "磁盘已满", "EDQUOT": "超出磁盘配额", "EACCES": "没有权限", "EPERM": "不允许的操作",
    "EROFS": "文件系统是只读的", "ENAMETOOLONG": "文件名或路径太长", "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一段不是文件夹", "EISDIR": "这是一个文件夹", "EIO": "读写设备出错", "ELOOP": "符号链接层次过多",
    "EXDEV": "不能跨文件系统改名", "EMFILE": "打开的文件过多", "EFBIG": "文件过大",
}


def _cwd_exists() -> bool:
    try:
        os.getcwd()
    except OSError:
        return False
    return True


def os_message(exc: OSError) -> str:
    """A Chinese sentence for an operating-system error: what failed, on which file."""
    import errno

    reason = OS_ERRORS.get(errno.errorcode.get(exc.errno or 0, ""), exc.strerror or str(exc))
    if exc.filename is None and exc.errno == errno.ENOENT and not _cwd_exists():
        return "当前文件夹已不存在（可能已被删除或移走），请先进入一个存在的文件夹（cd）再运行"
    if exc.filename is None:
        return f"无法输出结果：{reason}"
    return f"无法读写“{exc.filename}”：{reason}"


def pydantic_lines(exc: Exception) -> list[str] | None:
    """The Chinese lines for a pydantic ``ValidationError`` (a value a user typed is out of bounds)."""
    if not type(exc).__module__.startswith("pydantic") or not hasattr(exc, "errors"):
        return None
    from gwgk.files.loader import pydantic_message

    errors = []
    for error in exc.errors(include_url=False):
        # an entry built from options: name the option the user typed, not the field it fills
        loc = tuple(error.get("loc", ()))
        option = _OPTIONS.get(str(loc[-1])) if loc else None
        errors.append(pydantic_message({**error, "loc": (option,)} if option else error))
    return ["输入的内容不符合要求，没有写入", *errors]


_OPTIONS = {"reason": "--reason", "note": "--note", "title": "--event", "category": "--category", "evidence": "--evidence",
            "by": "--by", "instance": "--instance"}


# ----------------------------------------------------------------- locale

CHINESE_REFUSAL = ("当前区域设置（locale）的编码是 {0}，不是 UTF-8;gwgk 的文件名和参数都用 UTF-8，为免写出文件名乱码的台账，"
                   "没有做任何事。请设置 LANG=zh_CN.UTF-8（或 C.UTF-8），或设置 PYTHONUTF8=1 后再试")
ENGLISH_REFUSAL = ("gwgk needs a UTF-8 locale (this one uses {0}); nothing was done. "
                   "Set LANG=zh_CN.UTF-8 (or C.UTF-8), or PYTHONUTF8=1, and try again.")
BAD_ARGUMENT = "参数“{0}”不是有效的 UTF-8 文字（终端或脚本用的是别的编码？），没有做任何事"


def locale_refusal(argv: list[str], fs_encoding: str, out_encoding: str | None, err_encoding: str | None) -> tuple[str, bool] | None:
    """Why gwgk must not run in this locale (the message, and whether it is the English one), or None.

    File names and arguments must be UTF-8: under a GBK or Latin-1 locale a unit's name would
    become another file name. The message is Chinese where stderr can show Chinese, else English.
    """
    import codecs

    def utf8(encoding: str | None) -> bool:
        try:
            return codecs.lookup(encoding or "utf-8").name == "utf-8"
        except LookupError:
            return False

    def shows_chinese(encoding: str | None) -> bool:
        try:
            CHINESE_REFUSAL.encode(encoding or "utf-8")
            return True
        except (LookupError, UnicodeError):
            return False

    chinese = shows_chinese(err_encoding)
    if not utf8(fs_encoding) or not shows_chinese(out_encoding):
        shown = fs_encoding if not utf8(fs_encoding) else out_encoding
        return (CHINESE_REFUSAL if chinese else ENGLISH_REFUSAL).format(shown), not chinese
    for arg in argv:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            printable = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return BAD_ARGUMENT.format(printable), False
    return None


class GwgkGroup(TyperGroup):
    """The root command: runs typer non-standalone and maps every outcome to an exit code."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,  # type: ignore[override]
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command; print errors in Chinese; exit 0, 1 or 2."""
        argv = sys.argv[1:] if args is None else list(args)
        code = self._run(argv, args, prog_name, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, argv: list[str], args: Any, prog_name: str | None, complete_var: str | None, **extra: Any) -> int:
        refusal = locale_refusal(argv, sys.getfilesystemencoding(), getattr(sys.stdout, "encoding", None),
                                 getattr(sys.stderr, "encoding", None))
        if refusal is not None:
            message, english = refusal
            if english:
                print(f"error: {message}", file=sys.stderr)
            else:
                _print_error([message])
            return EXIT_REFUSED
        if not argv or "--help" in argv or "-h" in argv:
            chinese_help()
        _forget_written()
        try:
            try:
                rv = super().main(args=args, prog_name=prog_name or "gwgk", complete_var=complete_var,
                                  standalone_mode=False, **extra)
            except SystemExit as exc:
                if isinstance(exc.__context__, BrokenPipeError):  # typer turns a closed pipe into exit 1
                    raise exc.__context__ from None
                raise
            code = rv if isinstance(rv, int) else 0
            sys.stdout.flush()  # here, not at exit: a full disk or closed pipe is reported below
        except click_exceptions.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # plain `gwgk`: the help was shown, nothing wrong
                return EXIT_OK
            message = usage_message(exc.format_message())
            hint = f"（运行 {exc.ctx.command_path} --help 查看用法）" if exc.ctx is not None else ""
            _print_error([message + hint])
            code = EXIT_REFUSED
        except typer.Abort:
            print("已中止。", file=sys.stderr)
            code = EXIT_REFUSED
        except GwgkError as exc:
            _print_error(exc.lines() + _written_lines())
            code = exc.exit_code
        except KeyboardInterrupt:
            print("已中断。", file=sys.stderr)
            code = 130
        except BrokenPipeError:
            _silence_stdout()  # the reader has gone (``| head``): not an error; what was written stays
            written = _written()
            if written:
                with contextlib.suppress(OSError, ValueError):
                    print("注意：输出管道已关闭，结果没有显示完；以下文件已经写入（内容完整）：", *written, sep="\n  ", file=sys.stderr)
            code = 0
        except OSError as exc:
            if exc.filename is None:
                _silence_stdout()
            written = _written_lines()
            _print_error([os_message(exc) + ("" if written else "，没有写入任何文件"), *written])
            code = EXIT_FOUND if written else EXIT_REFUSED
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
            lines = pydantic_lines(exc)
            if lines is not None:
                _print_error(lines + _written_lines())
                return EXIT_FOUND if _written() else EXIT_REFUSED
            if os.environ.get("GWGK_DEBUG"):
                traceback.print_exc()
            written = _written()
            state = "已写入的文件：" + "、".join(written) + "（内容完整）" if written else "数据文件没有被改动"
            _print_error([f"gwgk 内部错误（{type(exc).__name__}：{exc}）。这是 gwgk 的缺陷，不是您的操作问题；"
                          f"{state}。请把这条信息报告给维护人员（设置 GWGK_DEBUG=1 可看到详细信息）。"])
            code = EXIT_INTERNAL
        return code


app = typer.Typer(
    cls=GwgkGroup,
    name="gwgk",
    help="政务公开工作台账：把年度政务公开工作要点变成各单位的台账、进度登记和“回头看”。",
    add_completion=False,
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode="rich",
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    pretty_exceptions_enable=False,
)


def _show_version(shown: bool) -> None:
    """``--version``: print the version and stop before any command runs."""
    if shown:
        from gwgk import __version__

        print(f"gwgk {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    workspace: str | None = typer.Option(
        None, "--workspace", "-w", metavar="目录",
        help="工作区目录（含 data/ 与 ledgers/）；不指定时用环境变量 GWGK_WORKSPACE，再不然从当前目录向上查找。",
    ),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version, help="显示 gwgk 的版本并退出。"),
) -> None:
    """政务公开工作台账：把年度政务公开工作要点变成各单位的台账、进度登记和“回头看”。"""
    ctx.obj = {"workspace": workspace}
