from nameko.dependency_providers import Config

from services.common.config import Settings
from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.content.consultations.schemas import (
    CommentInput,
    CommentListing,
    ConsultationChange,
    ConsultationInput,
    ConsultationStep,
    PastConsultation,
    StaffListing,
    Summary,
)
from services.content.outcomes import once_per_request
from services.content.validation import MAX_FETCH, Page, expected_version, validate, validate_change

MAX_ADDRESS = 100  # an IPv6 address with its zone fits


class ConsultationEntrypoints:
    config = Config()

    # Public reading and citizens

    @rpc
    def list_consultations(self, unit, skip=0, limit=20):
        """Drafts out for comment: open ones first (closing soonest first), then closed ones:
        {"consultations": [...], "total": n}."""
        return self.content.consultations.list_published(unit, validate(Page, {"skip": skip, "limit": limit}))

    @rpc
    def get_consultation(self, unit, consultation_id):
        return self.content.consultations.get_published(unit, consultation_id)

    @rpc
    def list_consultation_comments(self, unit, consultation_id, skip=0, limit=MAX_FETCH):
        """A draft's published comments, oldest first: {"comments": [...], "total": n}."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.consultations.published_comments(unit, consultation_id, page)

    @rpc
    def comment_on_consultation(self, unit, consultation_id, data, client=None):
        """A citizen's comment on an open draft, pending moderation: {"id", "status"}. Conflict once
        the draft has closed. `client`, the address it came from (never stored), may send as many
        comments an hour to a unit as it may questions (QUESTION_RATE_LIMIT)."""
        comment = validate(CommentInput, data)
        if client is not None and not (isinstance(client, str) and 0 < len(client) <= MAX_ADDRESS):
            raise InvalidInput("client must be an address", {"client": f"an address of 1 to {MAX_ADDRESS} characters"})
        limit = Settings.from_mapping(self.config).QUESTION_RATE_LIMIT
        return self.content.consultations.comment(unit, consultation_id, comment, sender=client, limit=limit)

    # The editorial board

    @rpc
    def list_consultations_for_staff(self, actor, unit, status=None, limit=50, skip=0):
        """The unit's drafts in every state (or one of draft, open, closed), last changed first."""
        listing = validate(StaffListing, {"status": status, "limit": limit, "skip": skip})
        return self.content.consultations.for_staff(self.actor(actor), unit, listing)

    @rpc
    def get_consultation_for_staff(self, actor, consultation_id):
        return self.content.consultations.get_for_staff(self.actor(actor), consultation_id)

    @rpc
    def consultation_history(self, actor, consultation_id, skip=0, limit=MAX_FETCH):
        """The draft's revisions, oldest first."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.consultations.history(self.actor(actor), consultation_id, page)

    @rpc
    @once_per_request
    def create_consultation(self, actor, unit, data):
        return self.content.consultations.create(self.actor(actor), unit, validate(ConsultationInput, data))

    @rpc
    @once_per_request
    def update_consultation(self, actor, consultation_id, data, version=None):
        """`data`: the fields and "version" as the API's body has them, or the version given beside."""
        change = validate_change(ConsultationChange, data, expected_version(version))
        return self.announce(self.content.consultations.update(self.actor(actor), consultation_id, change,
                                                               change.version))

    @rpc
    @once_per_request
    def open_consultation(self, actor, consultation_id, data=None):
        step = validate(ConsultationStep, data or {})
        return self.announce(self.content.consultations.open(self.actor(actor), consultation_id, step.version))

    @rpc
    @once_per_request
    def publish_consultation_summary(self, actor, consultation_id, data):
        summary = validate(Summary, data)
        return self.announce(self.content.consultations.publish_summary(
            self.actor(actor), consultation_id, summary.summary_html, summary.version))

    @rpc
    def consultation_comment_queue(self, actor, consultation_id, status=None, limit=50, skip=0):
        """The draft's comments as moderators see them (with contacts), oldest first."""
        listing = validate(CommentListing, {"status": status, "limit": limit, "skip": skip})
        return self.content.consultations.comment_queue(self.actor(actor), consultation_id, listing)

    @rpc
    @once_per_request
    def publish_consultation_comment(self, actor, comment_id, data=None):
        step = validate(ConsultationStep, data or {})
        return self.content.consultations.moderate(self.actor(actor), comment_id, "published", step.version)

    @rpc
    @once_per_request
    def reject_consultation_comment(self, actor, comment_id, data=None):
        step = validate(ConsultationStep, data or {})
        return self.content.consultations.moderate(self.actor(actor), comment_id, "rejected", step.version)

    @rpc
    def import_past_consultation(self, actor, unit, data):
        """A draft the unit put out for comment before the platform held its drafts (closed, with its
        published comments and summary): {"id", "imported"}, imported false when the unit has one
        of that title already. Platform admins only."""
        past = validate(PastConsultation, data)
        return self.announce(self.content.consultations.import_past(self.actor(actor), unit, past))
