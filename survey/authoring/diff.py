"""What changed between two versions of a form: questions added, removed or changed,
and which texts changed, read from their stored definitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT_KEYS = ("label", "hint", "constraint_message")


@dataclass(frozen=True)
class Change:
    kind: str      # "added", "removed", "changed" or "texts"
    where: str     # a question's name, or "title", "consent", "choice list NAME"
    details: tuple[str, ...] = ()


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes from definition ``old`` to definition ``new``."""
    changes = [Change("texts", part, _languages(old.get(part), new.get(part)))
               for part in ("title", "consent") if old.get(part) != new.get(part)]
    old_lists, new_lists = old.get("choice_lists") or {}, new.get("choice_lists") or {}
    for name in sorted(set(old_lists) | set(new_lists)):
        if old_lists.get(name) != new_lists.get(name):
            changes.append(Change("changed", f"choice list {name}"))
    before, after = _questions(old), _questions(new)
    for name, question in after.items():
        if name not in before:
            changes.append(Change("added", name))
        elif before[name] != question:
            changes.append(_changed(name, before[name], question))
    changes += [Change("removed", name) for name in before if name not in after]
    return changes


def _questions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        question["name"]: question
        for section in definition.get("sections") or []
        for question in section.get("questions") or []
        if isinstance(question, dict) and "name" in question
    }


def _changed(name: str, old: dict[str, Any], new: dict[str, Any]) -> Change:
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    if keys and all(k in TEXT_KEYS for k in keys):
        return Change("texts", name, tuple(
            f"{k} ({', '.join(_languages(old.get(k), new.get(k)))})" for k in keys))
    if keys == ["choices"] and _choice_values(old) == _choice_values(new):
        return Change("texts", name, ("choice labels",))
    return Change("changed", name, tuple(keys))


def _choice_values(question: dict[str, Any]) -> Any:
    choices = question.get("choices")
    if isinstance(choices, list):
        return [c.get("value") if isinstance(c, dict) else c for c in choices]
    return choices


def _languages(old: Any, new: Any) -> tuple[str, ...]:
    """The languages whose text differs, for texts given per language."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ()
    return tuple(sorted(k for k in set(old) | set(new)
                        if k not in ("version", "optional") and old.get(k) != new.get(k)))
