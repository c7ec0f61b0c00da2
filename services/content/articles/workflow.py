"""The editorial workflow of the editorial board ("Ban biên tập"):

    draft → submitted → approved → published → unpublished or archived
    submitted/approved → rejected back to draft, with a comment
    force publish by the editor-in-chief from any unpublished state, with a reason
"""
from __future__ import annotations

from dataclasses import dataclass

from services.common.errors import Conflict


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    needs_comment: bool = False


TRANSITIONS = {t.name: t for t in (
    Transition("submit", frozenset({"draft"}), "submitted", "article.submit"),
    Transition("approve", frozenset({"submitted"}), "approved", "article.review"),
    Transition("reject", frozenset({"submitted", "approved"}), "draft", "article.review", needs_comment=True),
    Transition("publish", frozenset({"approved", "unpublished"}), "published", "article.publish"),
    Transition("force_publish", frozenset({"draft", "submitted", "approved", "unpublished"}), "published",
               "article.force_publish", needs_comment=True),
    Transition("unpublish", frozenset({"published"}), "unpublished", "article.publish"),
    Transition("archive", frozenset({"published", "unpublished"}), "archived", "article.publish"),
)}

STATES = ("draft", "submitted", "approved", "published", "unpublished", "archived")


def transition(name: str, status: str, version: int) -> Transition:
    step = TRANSITIONS[name]
    if status not in step.sources:
        raise Conflict(f"Cannot {name.replace('_', ' ')} an article that is {status}", version)
    return step
