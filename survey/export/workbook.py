"""The workbook: About, Summary, Priorities, Responses, Codebook, notes, consents, withdrawals.

openpyxl's write-only mode writes each sheet's rows to a temporary file as
they come, so memory stays flat; lxml makes it fast. Every string goes
through ``cells``: it is written as text, exactly as given, never as a formula
or an error value.
"""

from __future__ import annotations

import datetime
import re
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import func, select

from ..consent.models import ConsentRecord, Participant, RefusalCount, Withdrawal
from ..db import db
from ..i18n import gettext_in
from ..organisations.models import Organisation
from ..results.disclosure import Cell, Rule, protection
from ..results.scope import Scope
from ..results.tables import ChoiceResult, NumberResult, QuestionResult, RankResult, Results
from ..results.tabulators import tabulate
from ..review.reviews import notes_of
from .cells import as_text_cells, safe, text_cell
from .columns import CODES
from .responses import layout, rows

BOLD = Font(bold=True)
PERCENT = "0.0%"


class Sheet:
    """A write-only sheet that knows its current row, for chart references."""

    def __init__(self, book: Workbook, title: str) -> None:
        self.ws: WriteOnlyWorksheet = book.create_sheet(_sheet_title(title))
        self.row = 0

    def add(self, *values: Any) -> int:
        self.ws.append([_cell(self.ws, v) for v in values])
        self.row += 1
        return self.row

    def heading(self, *values: str) -> int:
        self.ws.append([text_cell(self.ws, safe(v), font=BOLD) for v in values])
        self.row += 1
        return self.row


def _sheet_title(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip("'") or "Sheet"


def _cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Cell):
        return value
    if isinstance(value, str):
        return text_cell(ws, safe(value))
    return value


def _styled(ws: WriteOnlyWorksheet, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


class Export:
    """One workbook for one scope, in one language (or codes)."""

    def __init__(self, scope: Scope, rule: Rule, language: str) -> None:
        self.scope, self.rule, self.language = scope, rule, language
        self.ui = language if language != CODES else scope.form.default_language
        self.book = Workbook(write_only=True)

    def t(self, message: str, **variables: object) -> str:
        return gettext_in(self.ui, message, **variables)

    def write(self, target: IO[bytes] | str) -> None:
        results = tabulate(self.scope, self.rule, self.ui)
        about = Sheet(self.book, self.t("About"))
        summary = Sheet(self.book, self.t("Summary"))
        priorities = Sheet(self.book, self.t("Priorities"))
        responses = None if self.scope.pooled else Sheet(self.book, self.t("Responses"))
        long_texts = None if self.scope.pooled else Sheet(self.book, self.t("Long texts"))
        sheets = [Sheet(self.book, self.t(name)) for name in
                  ("Codebook", "Translator notes", "Consent register", "Withdrawals")]
        self.about(about, results)
        self.summary(summary, results)
        self.priorities(priorities, results)
        if responses is not None and long_texts is not None:
            self.responses(responses, long_texts, results)
        self.codebook(sheets[0])
        self.translator_notes(sheets[1])
        self.consents(sheets[2])
        self.withdrawals(sheets[3])
        self.book.save(target)

    # --- sheets ---------------------------------------------------------------

    def notice(self) -> str:
        """The first line of the first sheet: what the workbook holds and who may see it."""
        return self.t("This workbook holds each person's answers (the Responses sheet): keep it in "
                      "your organisation and do not share it. To share, download the workbook to share.")

    def rule_line(self, sheet: Sheet) -> None:
        sheet.add(protection(self.ui))
        sheet.add(self.rule.describe(self.ui))
        sheet.add()

    def about(self, sheet: Sheet, results: Results) -> None:
        scope, form = self.scope, self.scope.form
        organisation = (self.t("All organisations together") if scope.pooled
                        else db.session.get(Organisation, scope.organisation_id).label)
        sheet.heading(self.notice())
        self.rule_line(sheet)
        for label, value in (
            (self.t("Form"), form.text(form.title, self.ui)),
            (self.t("Form id"), form.id),
            (self.t("Version"), form.version),
            (self.t("Organisation"), organisation),
            (self.t("From"), scope.since.isoformat() if scope.since else self.t("the start")),
            (self.t("To"), scope.until.isoformat() if scope.until else self.t("today")),
            (self.t("Language"), self.language),
            (self.t("Participants"), results.respondents if results.enough
             else self.t("Fewer than %(k)s", k=self.rule.k)),
            (self.t("Exported"), datetime.date.today().isoformat()),
            (self.t("Suppression rule"), self.rule.describe(self.ui)),
        ):
            sheet.add(label, value)
        if scope.pooled:
            sheet.add(self.t("Pooled results hold tabulations only: no responses, no free text."))

    def summary(self, sheet: Sheet, results: Results) -> None:
        self.rule_line(sheet)
        if not results.enough:
            sheet.add(self.t("Fewer than %(k)s people answered: nothing can be shown without risk "
                             "of telling who said what.", k=self.rule.k))
            return
        for result in results.questions:
            if isinstance(result, RankResult):
                continue
            sheet.heading(result.label)
            sheet.heading("", self.t("Count"), "%")
            self.presence(sheet, result)
            if isinstance(result, ChoiceResult) and result.lines:
                first = sheet.row + 1
                for line in result.lines:
                    self.count_row(sheet, line.label, line.cell)
                self.chart(sheet, result.label, first, sheet.row, col=3, anchor_col="E")
            if isinstance(result, NumberResult) and result.stats:
                stats = result.stats
                for label, value in ((self.t("Mean"), stats.mean),
                                     (self.t("Lower quartile"), stats.lower_quartile),
                                     (self.t("Median"), stats.median),
                                     (self.t("Upper quartile"), stats.upper_quartile)):
                    sheet.add(label, value)
            sheet.add()

    def presence(self, sheet: Sheet, result: QuestionResult) -> None:
        for label, cell in ((self.t("Answered"), result.presence.answered),
                            (self.t("Skipped"), result.presence.skipped),
                            (self.t("Not relevant"), result.presence.not_relevant)):
            self.count_row(sheet, label, cell)

    def count_row(self, sheet: Sheet, label: str, cell: Cell, *more: Any) -> None:
        sheet.add(label, *self.count_cells(sheet, cell), *more)

    def count_cells(self, sheet: Sheet, cell: Cell) -> list[Any]:
        count = cell.count if not cell.hidden else cell.display(self.rule)
        percent = None if cell.shown_percent is None else _styled(
            sheet.ws, cell.shown_percent / 100, number_format=PERCENT)
        return [count, percent]

    def chart(self, sheet: Sheet, title: str, first: int, last: int, *, col: int,
              anchor_col: str) -> None:
        chart = BarChart()
        chart.type = "bar"
        chart.title = safe(title)[:250]
        chart.legend = None
        chart.y_axis.number_format = PERCENT
        chart.add_data(Reference(sheet.ws, min_col=col, min_row=first, max_row=last), titles_from_data=False)
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))
        chart.height = max(5.0, 0.8 * (last - first + 1))
        sheet.ws.add_chart(chart, f"{anchor_col}{first}")

    def priorities(self, sheet: Sheet, results: Results) -> None:
        self.rule_line(sheet)
        for result in results.questions:
            if not isinstance(result, RankResult):
                continue
            sheet.heading(result.label)
            self.presence(sheet, result)
            sheet.heading(self.t("Item"), self.t("Ranked first"), "%",
                          self.t("In top %(n)s", n=result.top), "%", self.t("Mean rank"),
                          self.t("Borda score"))
            first = sheet.row + 1
            for item in result.items:
                sheet.add(item.label, *self.count_cells(sheet, item.first),
                          *self.count_cells(sheet, item.top), item.mean_rank, item.borda)
            self.chart(sheet, result.label, first, sheet.row, col=5, anchor_col="I")
            sheet.add(self.t(
                "Method: items are listed by Borda score. With %(m)s items ranked, first place earns "
                "%(m)s points, second %(second)s, and so on down to 1 for last; an item not ranked "
                "earns 0. Mean rank is the average position given (1 = most important). "
                "Percentages are of the people who answered.", m=result.ranked, second=result.ranked - 1))
            sheet.add()

    def responses(self, sheet: Sheet, long_texts: Sheet, results: Results) -> None:
        shape = layout(self.scope, self.language)
        sheet.heading(self.t("Each person's answers, not protected: do not share this sheet."))
        sheet.heading(*shape.headers)
        self.rule_line(long_texts)
        long_texts.heading("#", self.t("Question"), self.t("Part"))
        overflow: list[tuple[int, str, list[str]]] = []
        append = sheet.ws.append
        for row in rows(self.scope, self.language, shape, overflow):
            append(as_text_cells(sheet.ws, row))
            for number, header, parts in overflow:
                for part in parts:
                    long_texts.ws.append(as_text_cells(long_texts.ws, [number, header, part]))
            overflow.clear()

    def codebook(self, sheet: Sheet) -> None:
        form = self.scope.form
        self.rule_line(sheet)
        sheet.heading(self.t("Question"), self.t("Type"), self.t("Choice"), *form.languages)
        for question in form.questions():
            if not question.collects_answer:
                continue
            sheet.add(question.name, question.type.name, None,
                      *(question.label.translations.get(code, "") for code in form.languages))
            for choice in question.choices:
                sheet.add(question.name, None, choice.value,
                          *(choice.label.translations.get(code, "") for code in form.languages))

    def translator_notes(self, sheet: Sheet) -> None:
        self.rule_line(sheet)
        sheet.heading(self.t("Text"), self.t("Language"), self.t("Note"), self.t("By"), self.t("Date"))
        # An organisation's own notes; pooled results hold no free text, so no notes.
        notes = [] if self.scope.pooled else notes_of(self.scope.form, self.scope.organisation_id)
        for note in notes:
            sheet.add(note.key, note.language, note.body, note.author_role, note.created_at.date())

    def consents(self, sheet: Sheet) -> None:
        """Counts only: which consent version, how, in which language; and refusals."""
        scope = self.scope
        query = (select(ConsentRecord.consent_version, ConsentRecord.method, ConsentRecord.language,
                        func.count())
                 .join(Participant, Participant.id == ConsentRecord.participant_id)
                 .where(ConsentRecord.form_id == scope.form.id)
                 .group_by(ConsentRecord.consent_version, ConsentRecord.method, ConsentRecord.language)
                 .order_by(ConsentRecord.consent_version, ConsentRecord.method, ConsentRecord.language))
        refusals = select(func.coalesce(func.sum(RefusalCount.count), 0)).where(
            RefusalCount.form_id == scope.form.id)
        if not scope.pooled:
            query = query.where(Participant.organisation_id == scope.organisation_id)
            refusals = refusals.where(RefusalCount.organisation_id == scope.organisation_id)
        self.rule_line(sheet)
        sheet.heading(self.t("Consent version"), self.t("Method"), self.t("Language"), self.t("Count"))
        for version, method, language, count in db.session.execute(query):
            sheet.add(version, method.value, language, count)
        sheet.add()
        sheet.add(self.t("Refused"), db.session.scalar(refusals))

    def withdrawals(self, sheet: Sheet) -> None:
        query = select(func.count()).select_from(Withdrawal)
        if not self.scope.pooled:
            query = query.where(Withdrawal.organisation_id == self.scope.organisation_id)
        self.rule_line(sheet)
        sheet.heading(self.t("Withdrawals"), self.t("Count"))
        sheet.add(self.t("Participants who withdrew (every survey of the organisation)"),
                  db.session.scalar(query))
        sheet.add(self.t("Their answers were deleted and are in none of these results."))


def write_workbook(scope: Scope, rule: Rule, language: str, target: IO[bytes] | str) -> None:
    Export(scope, rule, language).write(target)


