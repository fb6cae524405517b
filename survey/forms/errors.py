"""Errors in form configuration files."""

from __future__ import annotations


class FormConfigError(Exception):
    """One problem in a form file, located by file, line and question."""

    def __init__(self, file: str, line: int, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message
        self.where = where

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class FormFileErrors(Exception):
    """Every problem found in one form file; the form is not loaded."""

    def __init__(self, errors: list[FormConfigError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors
