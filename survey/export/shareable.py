"""The workbook to share: a publication, with no one's answers in it.

It has the protected tables of the results (About, Summary, Priorities),
the codebook, and the consent register and withdrawals as protected counts
(``survey.results.register``); no Responses, no long texts, no notes. Every
sheet says what protects it. The pooled workbook is always this one.
"""

from __future__ import annotations

from typing import IO

from ..results import register
from ..results.disclosure import Rule
from ..results.scope import Scope
from ..results.tabulators import tabulate
from .workbook import Export, Sheet


class Shareable(Export):
    """The publication beside the raw workbook (``Export``)."""

    def write(self, target: IO[bytes] | str) -> None:
        results = tabulate(self.scope, self.rule, self.ui)
        about, summary, priorities, codebook, consents, withdrawals = (
            Sheet(self.book, self.t(name)) for name in
            ("About", "Summary", "Priorities", "Codebook", "Consent register", "Withdrawals"))
        self.about(about, results)
        self.summary(summary, results)
        self.priorities(priorities, results)
        self.codebook(codebook)
        self.consents(consents)
        self.withdrawals(withdrawals)
        self.book.save(target)

    def notice(self) -> str:
        return self.t("This workbook can be shared: it holds no one's answers, only tables "
                      "protected so that no one can be picked out.")

    def consents(self, sheet: Sheet) -> None:
        self.rule_line(sheet)
        sheet.heading(self.t("Consent version"), self.t("Method"), self.t("Language"), self.t("Count"))
        for line in register.consent_lines(self.scope, self.rule):
            sheet.add(line.version, line.method, line.language, line.cell.display(self.rule))
        sheet.add()
        sheet.add(self.t("Refused"), register.refusals(self.scope, self.rule).display(self.rule))

    def withdrawals(self, sheet: Sheet) -> None:
        self.rule_line(sheet)
        sheet.heading(self.t("Withdrawals"), self.t("Count"))
        sheet.add(self.t("Participants who withdrew (every survey of the organisation)"),
                  register.withdrawals(self.scope, self.rule).display(self.rule))
        sheet.add(self.t("Their answers were deleted and are in none of these results."))


def write_shareable(scope: Scope, rule: Rule, language: str, target: IO[bytes] | str) -> None:
    Shareable(scope, rule, language).write(target)
