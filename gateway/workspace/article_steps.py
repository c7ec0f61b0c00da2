"""The workflow steps of an article as the workspace offers them: which buttons a person sees.

The content service decides (services/content/articles/workflow.py); this table only mirrors its
transitions so that a page shows exactly the steps this person's permissions allow from the
article's state, and names each step's address. A step the service refuses anyway (the article
changed meanwhile) is told on the page.
"""
from __future__ import annotations

from dataclasses import dataclass

from gateway.workspace.base import Staff


@dataclass(frozen=True)
class Step:
    name: str  # as the content service's move_article names it
    slug: str  # the last part of its address: /quan-tri/{unit}/bai-viet/{article_id}/{slug}
    sources: frozenset[str]
    permission: str
    needs_comment: bool = False


STEPS = (
    Step("submit", "gui-duyet", frozenset({"draft"}), "article.submit"),
    Step("approve", "duyet", frozenset({"submitted"}), "article.review"),
    Step("reject", "tra-lai", frozenset({"submitted", "approved"}), "article.review", needs_comment=True),
    Step("publish", "dang", frozenset({"approved", "unpublished"}), "article.publish"),
    Step("force_publish", "dang-ngay", frozenset({"draft", "submitted", "approved", "unpublished"}),
         "article.force_publish", needs_comment=True),
    Step("unpublish", "go-xuong", frozenset({"published"}), "article.publish"),
    Step("archive", "luu-tru", frozenset({"published", "unpublished"}), "article.publish"),
)
BY_SLUG = {step.slug: step for step in STEPS}


def allowed_steps(staff: Staff, unit: str, article: dict) -> list[Step]:
    """The steps this person may take from the article's state; an author submits only their own."""
    own = article["author"] == staff.user["username"]
    return [step for step in STEPS
            if article["status"] in step.sources and staff.can(step.permission, unit)
            and (step.name != "submit" or own or staff.can("article.edit", unit))]
