from services.common.rpc import rpc
from services.content.documents.schemas import (
    DisclosureListing,
    DocumentChange,
    DocumentInput,
    DocumentPublication,
    DocumentSearch,
    EditorsListing,
)
from services.content.outcomes import once_per_request
from services.content.revisions import Rollback
from services.content.validation import MAX_FETCH, Page, expected_version, validate, validate_change, version_number


class DocumentEntrypoints:
    # Public reading

    @rpc
    def get_document(self, unit, document_id):
        return self.content.documents.get_published(unit, document_id)

    @rpc
    def search_documents(self, unit=None, number=None, type=None, issuer=None, issued_from=None, issued_to=None,
                         text=None, skip=0, limit=20, sort="-issued_on"):
        """Published documents meeting every criterion given, by issue date (`sort` "-issued_on",
        newest first, or "issued_on"): {"documents", "total"}.

        `number` matches whole parts ("12/2026" finds 12/2026/QĐ-UBND); `type` and `issuer` match the
        whole label; `text` needs every word somewhere in the document; all of them ignore case and
        Vietnamese marks. Dates are YYYY-MM-DD, both ends included.
        """
        criteria = validate(DocumentSearch, {
            "unit": unit, "number": number, "type": type, "issuer": issuer, "issued_from": issued_from,
            "issued_to": issued_to, "text": text, "skip": skip, "limit": limit, "sort": sort})
        return self.content.documents.search(criteria)

    @rpc
    def disclosure_sections(self, unit):
        """The disclosure sections the unit's level owes, in the law's order, each with the count of
        its published documents and the newest one's issue date."""
        return self.content.documents.disclosure_sections(unit)

    @rpc
    def list_disclosures(self, unit, section, year=None, skip=0, limit=20):
        """A page of the unit's published documents filed under `section`, newest issued first, of
        the `year` of issue if given: {"section", "documents", "total", "years"}. NotFound for a
        section the unit's level does not owe."""
        listing = validate(DisclosureListing, {"section": section, "year": year, "skip": skip, "limit": limit})
        return self.content.documents.disclosure(listing, unit)

    # The editorial board

    @rpc
    def get_document_draft(self, actor, document_id):
        return self.content.documents.get_draft(self.actor(actor), document_id)

    @rpc
    def list_document_drafts(self, actor, unit, status=None, limit=50, skip=0):
        """The unit's documents as its board sees them, in every state unless `status` is given,
        last changed first."""
        listing = validate(EditorsListing, {"status": status, "limit": limit, "skip": skip})
        return self.content.documents.for_editors(self.actor(actor), unit, listing)

    @rpc
    def document_history(self, actor, document_id, skip=0, limit=MAX_FETCH):
        """The document's revisions, oldest first."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.documents.history(self.actor(actor), document_id, page.skip, page.limit)

    @rpc
    def document_diff(self, actor, document_id, from_version, to_version):
        return self.content.documents.diff(self.actor(actor), document_id, version_number(from_version, "from"),
                                           version_number(to_version, "to"))

    @rpc
    @once_per_request
    def create_document(self, actor, unit, data):
        return self.content.documents.create(self.actor(actor), unit, validate(DocumentInput, data))

    @rpc
    @once_per_request
    def update_document(self, actor, document_id, data, version=None):
        """`data`: the fields and "version" as the API's body has them, or the version given beside."""
        change = validate_change(DocumentChange, data, expected_version(version))
        return self.announce(self.content.documents.update(self.actor(actor), document_id, change, change.version))

    @rpc
    @once_per_request
    def publish_document(self, actor, document_id, version=None, data=None):
        """`data`: {"version"} as the API's body has it, or the version given beside."""
        publication = validate_change(DocumentPublication, data or {}, expected_version(version))
        return self.announce(self.content.documents.publish(self.actor(actor), document_id, publication.version))

    @rpc
    @once_per_request
    def rollback_document(self, actor, document_id, data):
        """`data`: {"to_version", "version"}: the fields as that revision kept them, checked again."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.documents.rollback(self.actor(actor), document_id, rollback.to_version,
                                                             rollback.version))
