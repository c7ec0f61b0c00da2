"""The content service's schemas as the API documents them: each area's schemas module names
the models its RPCs take (`API_INPUTS`) and answer with (`API_OUTPUTS`)."""
from __future__ import annotations

from services.common.schemas import PublishesSchemas
from services.content import conformance, users
from services.content.articles import schemas as articles
from services.content.consultations import schemas as consultations
from services.content.documents import schemas as documents
from services.content.history import schemas as history
from services.content.media import schemas as media
from services.content.pages import schemas as pages
from services.content.procedures import schemas as procedures
from services.content.questions import schemas as questions
from services.content.royalties import schemas as royalties
from services.content.schedules import schemas as schedules
from services.content.units import schemas as units

AREAS = (units, users, articles, media, schedules, documents, questions, pages, royalties, history, conformance,
         procedures, consultations)


class ContentContract(PublishesSchemas):
    api_inputs = tuple(model for area in AREAS for model in getattr(area, "API_INPUTS", ()))
    api_outputs = tuple(model for area in AREAS for model in getattr(area, "API_OUTPUTS", ()))
