from services.common.rpc import rpc
from services.content.documents.schemas import DocumentInput, DocumentSearch, EditorsListing
from services.content.outcomes import once_per_request
from services.content.validation import expected_version, validate


class DocumentEntrypoints:
    # Public reading

    @rpc
    def get_document(self, unit, document_id):
        return self.content.documents.get_published(unit, document_id)

    @rpc
    def search_documents(self, unit=None, number=None, type=None, issuer=None, issued_from=None, issued_to=None,
                         text=None, skip=0, limit=20):
        """Published documents meeting every criterion given, newest issued first: {"documents", "total"}.

        `number` matches whole parts ("12/2026" finds 12/2026/QĐ-UBND); `type` and `issuer` match the
        whole label; `text` needs every word somewhere in the document; all of them ignore case and
        Vietnamese marks. Dates are YYYY-MM-DD, both ends included.
        """
        criteria = validate(DocumentSearch, {
            "unit": unit, "number": number, "type": type, "issuer": issuer, "issued_from": issued_from,
            "issued_to": issued_to, "text": text, "skip": skip, "limit": limit})
        return self.content.documents.search(criteria)

    # The editorial board

    @rpc
    def get_document_draft(self, actor, document_id):
        return self.content.documents.get_draft(self.actor(actor), document_id)

    @rpc
    def list_document_drafts(self, actor, unit, status=None, limit=50):
        """The unit's documents as its board sees them, in every state unless `status` is given."""
        listing = validate(EditorsListing, {"status": status, "limit": limit})
        return self.content.documents.for_editors(self.actor(actor), unit, listing.status, listing.limit)

    @rpc
    def document_history(self, actor, document_id):
        return self.content.documents.history(self.actor(actor), document_id)

    @rpc
    @once_per_request
    def create_document(self, actor, unit, data):
        return self.content.documents.create(self.actor(actor), unit, validate(DocumentInput, data))

    @rpc
    @once_per_request
    def update_document(self, actor, document_id, data, version=None):
        return self.announce(self.content.documents.update(
            self.actor(actor), document_id, validate(DocumentInput, data), expected_version(version)))

    @rpc
    @once_per_request
    def publish_document(self, actor, document_id, version=None):
        return self.announce(self.content.documents.publish(
            self.actor(actor), document_id, expected_version(version)))
