"""Drawing ``gwgk remind``'s result (each message and its recipient in a dry run; who was reminded
otherwise) and ``gwgk collect``'s table. Pure: models in, text or blocks out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwgk.render.table import Block
    from gwgk.reports.collect import CollectReport
    from gwgk.reports.duesoon import OverdueDueSoon
    from gwgk.reports.reminders import RemindResult, Waiting

VIA_LABELS = {"file": "文本文件", "email": "电子邮件", "dingtalk": "钉钉群机器人", "wecom": "企业微信群机器人"}


def remind_text(result: RemindResult, already: list[str], dry_run: bool) -> str:
    """What ``gwgk remind`` prints: in a dry run every message in full after its recipient; else one
    line per unit reminded, and the totals."""
    via = VIA_LABELS[result.via]
    lines: list[str] = []
    if dry_run:
        for m in result.messages:
            lines += [f"━━ {m.unit} → {m.to}（{via}）", m.text.rstrip("\n"), ""]
    else:
        lines += [f"{m.unit} → {m.to}：{'已发送' if m.sent else '未发送'}" for m in result.messages]
    sent = sum(m.sent for m in result.messages)
    if dry_run:
        summary = f"试运行：将通过{via}提醒 {len(result.messages)} 个单位，没有发送，也没有记录。"
    else:
        summary = f"截至 {result.as_of.isoformat()}，通过{via}提醒了 {sent} 个单位。"
    if already:
        names = "、".join(already[:10]) + ("等" if len(already) > 10 else "")
        summary += f"{len(already)} 个单位今天已提醒过同样的事项，没有重发：{names}。"
    if result.failed:
        summary += f"{len(result.failed)} 个单位未能提醒：{'、'.join(f.unit for f in result.failed)}（原因见下）。"
    if not result.messages and not result.failed and not already:
        summary = f"截至 {result.as_of.isoformat()}，没有需要提醒的单位。"
    return "\n".join([*lines, summary]) + "\n"


def collect_blocks(report: CollectReport, late: dict[str, Waiting], waiting: int) -> list[Block]:
    """The table of ``gwgk collect`` and its summary."""
    from gwgk.render.terminal import rows_table

    def day(value: object) -> str:
        return "—" if value is None else str(value)

    rows = [[u.unit, day(u.sent), day(u.returned), "是" if u.latest_returned else ("否" if u.sent else "—"),
             day(u.waiting_days), "未答复" if u.unit in late else ""] for u in report.units]
    sent = sum(u.sent is not None for u in report.units)
    answered = sum(u.latest_returned for u in report.units)
    summary = (f"截至 {report.as_of.isoformat()}，发出工作台账的 {sent} 个单位中，{answered} 个已交回最新的一份；"
               f"超过 {waiting} 天未交回的 {len(late)} 个" + (f"：{'、'.join(late)}。" if late else "。"))
    return [rows_table("工作台账收回情况", ("单位", "最近发出", "最近交回", "交回的是最新一份", "已等待天数", ""), rows, ("已等待天数",)),
            summary]


DUE_SOON_HEADERS = ("单位", "年度", "序号", "任务", "角色", "本单位分工", "实例", "到期日", "剩余天数")


def due_soon_rows(report: OverdueDueSoon) -> list[list[str]]:
    """One row per item due soon, the soonest first."""
    return [[i.unit, str(i.plan or ""), str(i.task), i.title, i.role_label, i.duty or "—", i.instance, i.due.isoformat(),
             "今天到期" if i.days_left == 0 else str(i.days_left)] for i in report.due_soon]


def due_soon_summary(report: OverdueDueSoon) -> str:
    """One sentence: how many items fall due soon, in how many units."""
    units = len({i.unit for i in report.due_soon})
    return f"另有 {len(report.due_soon)} 项将在 {report.within} 天内到期（截至 {report.as_of.isoformat()} 尚未完成），涉及 {units} 个单位。"


def due_soon_blocks(report: OverdueDueSoon) -> list[Block]:
    """The due-soon table and its sentence, shown after the 回头看's own blocks."""
    from gwgk.render.table import Styled
    from gwgk.render.terminal import rows_table

    out: list[Block] = [Styled(f"即将到期事项（{report.within} 天内）", "bold")]
    if report.due_soon:
        out.append(rows_table(None, DUE_SOON_HEADERS, due_soon_rows(report), right=("序号", "剩余天数")))
    out.append(due_soon_summary(report))
    return out


def due_soon_markdown(report: OverdueDueSoon) -> str:
    """The due-soon section in Markdown, after the 回头看's."""
    from gwgk.render.text import markdown_table

    text = f"\n## 即将到期事项（{report.within} 天内）\n\n{due_soon_summary(report)}\n\n"
    return text + (markdown_table(DUE_SOON_HEADERS, due_soon_rows(report)) if report.due_soon else "")


def overdue_due_soon_table(report: OverdueDueSoon) -> list[Block]:
    """``gwgk overdue --due-soon``: the 回头看's blocks, then what falls due soon."""
    from gwgk.render.terminal import overdue_table

    return [*overdue_table(report), *due_soon_blocks(report)]


def overdue_due_soon_markdown(report: OverdueDueSoon) -> str:
    """``gwgk overdue --due-soon --format md``: the 回头看 in Markdown, then what falls due soon."""
    from gwgk.render.text import overdue_markdown

    return overdue_markdown(report) + due_soon_markdown(report)
