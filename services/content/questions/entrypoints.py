from datetime import timedelta

from nameko.dependency_providers import Config

from services.common.config import Settings
from services.common.errors import InvalidInput
from services.common.rpc import rpc
from services.content.database import now
from services.content.outcomes import once_per_request
from services.content.questions.schemas import (
    AnswerRollback,
    QuestionAnswer,
    QuestionInput,
    QuestionStep,
    QueueFilter,
    Rejection,
    WaitingQuery,
)
from services.content.questions.store import CITIZEN
from services.content.validation import Page, validate, version_number

MAX_ADDRESS = 100  # an IPv6 address with its zone fits


class QuestionEntrypoints:
    config = Config()

    # Citizens

    @rpc
    def ask_question(self, unit, data, client=None):
        """A citizen's question, pending moderation: {"id", "reference", "status"}.

        `client`, the address the question came from, may send QUESTION_RATE_LIMIT questions an
        hour to a unit (TooManyRequests past that); the address itself is never stored."""
        question = validate(QuestionInput, data)
        if client is not None and not (isinstance(client, str) and 0 < len(client) <= MAX_ADDRESS):
            raise InvalidInput("client must be an address", {"client": f"an address of 1 to {MAX_ADDRESS} characters"})
        limit = Settings.from_mapping(self.config).QUESTION_RATE_LIMIT

        def ask():
            return self.announce(self.content.questions.ask(unit, question, sender=client, limit=limit))

        request = self.request
        if request.idempotency_key is None:
            return ask()
        # Asked again with its key (an answer lost on the way), a question is asked once. Citizens
        # have no account: their keys are kept under one name, and the request is known by what it
        # asks, never by the address, which no record may hold.
        return self.content.outcomes.once(CITIZEN, request.idempotency_key, ("ask_question", unit, data), ask,
                                          request.deadline)

    @rpc
    def get_question(self, unit, question_id):
        return self.content.questions.get_published(unit, question_id)

    @rpc
    def list_questions(self, unit, skip=0, limit=20):
        """Published questions, newest answered first: {"questions": [...], "total": n}."""
        return self.content.questions.list_published(unit, validate(Page, {"skip": skip, "limit": limit}))

    @rpc
    def units_with_waiting_questions(self, days):
        """Units whose citizens have waited more than `days` days for an answer: [{"unit",
        "waiting", "oldest_asked_at"}]. For the notify service's reminder to their staff; the
        gateway does not expose it."""
        asked = validate(WaitingQuery, {"days": days})
        return self.content.questions.waiting_since(now() - timedelta(days=asked.days))

    # The editorial board

    @rpc
    def question_queue(self, actor, unit, status=None, limit=50, skip=0):
        """The unit's questions as its board sees them (with the asker's contact details), latest
        change first: {"questions": [...], "total": n}."""
        staff = self.actor(actor)
        parsed = validate(QueueFilter, {"status": status, "limit": limit, "skip": skip})
        return self.content.questions.queue(staff, unit, parsed)

    @rpc
    def get_question_for_staff(self, actor, question_id):
        return self.content.questions.get_for_staff(self.actor(actor), question_id)

    @rpc
    def question_history(self, actor, question_id, skip=0, limit=100):
        """The question's revisions, oldest first."""
        return self.content.questions.history(self.actor(actor), question_id,
                                              validate(Page, {"skip": skip, "limit": limit}))

    @rpc
    def question_diff(self, actor, question_id, from_version, to_version):
        return self.content.questions.diff(self.actor(actor), question_id, version_number(from_version, "from"),
                                           version_number(to_version, "to"))

    # Each step takes what the API's body carries: {"version"} where the caller holds one, and
    # what the step needs besides (the reason for rejecting, the answer).

    @rpc
    @once_per_request
    def accept_question(self, actor, question_id, data=None):
        step = validate(QuestionStep, data or {})
        return self.announce(self.content.questions.accept(self.actor(actor), question_id, step.version))

    @rpc
    @once_per_request
    def reject_question(self, actor, question_id, data):
        rejection = validate(Rejection, data)
        return self.announce(self.content.questions.reject(self.actor(actor), question_id, rejection.reason,
                                                           rejection.version))

    @rpc
    @once_per_request
    def answer_question(self, actor, question_id, data):
        answer = validate(QuestionAnswer, data)
        return self.announce(self.content.questions.answer(self.actor(actor), question_id, answer.answer_html,
                                                           answer.version))

    @rpc
    @once_per_request
    def publish_question(self, actor, question_id, data=None):
        step = validate(QuestionStep, data or {})
        return self.announce(self.content.questions.publish(self.actor(actor), question_id, step.version))

    @rpc
    @once_per_request
    def rollback_question(self, actor, question_id, data):
        """`data` is a Rollback: {"to_version", "version"}: an answered or published question's
        answer as that revision kept it."""
        rollback = validate(AnswerRollback, data)
        return self.announce(self.content.questions.rollback(self.actor(actor), question_id, rollback.to_version,
                                                             rollback.version))
