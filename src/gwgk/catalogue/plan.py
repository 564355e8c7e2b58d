"""The schema of ``data/tasks.yaml``: the plan's metadata, settings, parts, sections and tasks."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gwgk.catalogue.rules import Rule


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanMeta(_Strict):
    """Which plan this is and the period it covers."""

    title: str
    attachment: str
    issuer: str
    issued: dt.date
    year: int = Field(ge=2000, le=2100)
    effective_from: dt.date
    effective_to: dt.date
    addressees: str | None = Field(None, description="主送机关，照原文（通报的主送用它）")
    review: str | None = Field(None, description="起草时没有把握、需要人工核对的原因；核对后删去")

    @model_validator(mode="after")
    def _period_in_order(self) -> PlanMeta:
        if self.effective_from > self.effective_to:
            raise ValueError("effective_from（生效日）不能晚于 effective_to（截止日）")
        return self


class DocumentSettings(_Strict):
    """How the office issues the documents gwgk writes (通报, year report); each can also be given
    per run (``--issuer``, ``--number``, ``--addressees``, ``--cc``, ``--printer``)."""

    issuer: str | None = Field(None, description="发文机关署名，如 兴义市政务公开领导小组办公室；不写时用计划的印发单位", max_length=100)
    number: str | None = Field(None, description="发文字号的格式，如 兴政公办〔{year}〕{n}号：{year} 是成文年份，{n} 是 --number 给的序号", max_length=100)
    addressees: str | None = Field(None, description="主送机关；不写时用计划的主送", max_length=500)
    cc: str | None = Field(None, description="抄送机关，写在版记里", max_length=500)
    printer: str | None = Field(None, description="印发机关，写在版记里；不写时同发文机关", max_length=100)


class Settings(_Strict):
    """Thresholds an office may tune, and how its documents are issued."""

    lag_days: int = Field(90, ge=1, le=366, description="长期任务多少天没有进展算“进度滞后”")
    due_soon_days: int = Field(15, ge=0, le=366, description="到期前多少天提示“即将到期”")
    review: bool = Field(False, description="已完成的记录是否要经政务公开办审核销号后才算完成（自计划开始）")
    review_from: dt.date | None = Field(None, description="从哪一天起开启销号审核：这天及以后登记的“已完成”记录要审核销号后才算完成")
    expect_events_by: dt.date | None = Field(None, description="有触发事件的任务，到这一天还没有登记任何事件的单位列为“未报送事件”")
    spare_event_rows: int = Field(2, ge=1, le=50, description="导出的工作簿里每项有触发事件的任务留几行空行，供单位自己填报新事件")
    documents: DocumentSettings = DocumentSettings()

    @property
    def review_start(self) -> dt.date | None:
        """The first day of entry whose 已完成 records await review (None: review is off).

        ``review_from`` names the day; ``review: true`` alone means from the start (as before
        ``review_from``). Records entered earlier count as they did, so a report as of a day
        before it is what it was before review was turned on."""
        if self.review_from is not None:
            return self.review_from
        return dt.date.min if self.review else None


class Section(_Strict):
    """A section ("(一)做好各类规划信息公开")."""

    id: str
    title: str


class Part(_Strict):
    """A part ("一、紧扣“十四五”开好局起好步深化政务公开") and its sections."""

    id: str
    title: str
    sections: list[Section]


class Duty(_Strict):
    """One line of the attachment's 任务分工: who, and what (None where the line names no duty)."""

    units: list[str] = Field(min_length=1)
    duty: str | None = None


class Task(_Strict):
    """One of the plan's numbered tasks."""

    id: int = Field(ge=1)
    part: str
    section: str
    title: str = Field(description="简称，供表格显示（编者所拟，非原文）")
    text: str = Field(description="正文原文")
    indicator: str | None = Field(None, description="附件“公开指标内容”，与正文不同时才填")
    lead: list[str] = Field(default_factory=list, description="牵头单位，照正文；计划没有写时为空")
    responsible: list[str] = Field(default_factory=list, description="责任单位，照正文")
    duties: list[Duty] = Field(default_factory=list, description="附件“任务分工”")
    deadline: str = Field(description="附件“完成时限”原文")
    remark: str | None = Field(None, description="附件“备注”")
    rules: list[Rule] = Field(default_factory=list, description="完成时限的规则；计划没有写时为空，按计划期末计")
    review: str | None = Field(None, description="起草时没有把握、需要人工核对的原因；核对后删去")


class TasksFile(_Strict):
    """The whole of ``data/tasks.yaml``."""

    plan: PlanMeta
    settings: Settings = Settings()
    parts: list[Part]
    tasks: list[Task]
