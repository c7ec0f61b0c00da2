from services.common.rpc import rpc
from services.content.questions.schemas import Answer, Moderation, QuestionInput, QueueFilter
from services.content.validation import Page, expected_version, validate


class QuestionEntrypoints:
    # Citizens

    @rpc
    def ask_question(self, unit, data):
        """A citizen's question, pending moderation: {"id", "reference", "status"}."""
        return self.content.questions.ask(unit, validate(QuestionInput, data))

    @rpc
    def get_question(self, unit, question_id):
        return self.content.questions.get_published(unit, question_id)

    @rpc
    def list_questions(self, unit, skip=0, limit=20):
        """Published questions, newest answered first: {"questions": [...], "total": n}."""
        return self.content.questions.list_published(unit, validate(Page, {"skip": skip, "limit": limit}))

    # The editorial board

    @rpc
    def question_queue(self, actor, unit, status=None, limit=50):
        """The unit's questions as its board sees them (with the asker's contact details)."""
        staff = self.actor(actor)
        parsed = validate(QueueFilter, {"status": status, "limit": limit})
        return self.content.questions.queue(staff, unit, parsed.status, parsed.limit)

    @rpc
    def get_question_for_staff(self, actor, question_id):
        return self.content.questions.get_for_staff(self.actor(actor), question_id)

    @rpc
    def question_history(self, actor, question_id):
        return self.content.questions.history(self.actor(actor), question_id)

    @rpc
    def moderate_question(self, actor, question_id, decision, reason=None, version=None):
        """decision "accept" or "reject"; rejecting needs a reason."""
        staff = self.actor(actor)
        parsed = validate(Moderation, {"decision": decision, "reason": reason})
        return self.content.questions.moderate(staff, question_id, parsed.decision, parsed.reason,
                                               expected_version(version))

    @rpc
    def answer_question(self, actor, question_id, answer_html, version=None):
        return self.announce(self.content.questions.answer(
            self.actor(actor), question_id, validate(Answer, {"answer_html": answer_html}).answer_html,
            expected_version(version)))

    @rpc
    def publish_question(self, actor, question_id, version=None):
        return self.announce(self.content.questions.publish(self.actor(actor), question_id, expected_version(version)))
