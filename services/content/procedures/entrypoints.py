from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.procedures.schemas import (
    EditorsListing,
    ProcedureChange,
    ProcedureImport,
    ProcedureInput,
    ProcedureListing,
    ProcedurePublication,
)
from services.content.revisions import Rollback
from services.content.validation import MAX_FETCH, Page, expected_version, validate, validate_change, version_number


class ProcedureEntrypoints:
    # Public reading

    @rpc
    def get_procedure(self, unit, procedure_id):
        return self.content.procedures.get_published(unit, procedure_id)

    @rpc
    def list_procedures(self, unit, field=None):
        """The unit's published procedures by field, then name, in Vietnamese order: {"fields":
        [{"name", "key", "count"}], "field": the one asked for (its name or key, any case and marks;
        None if the unit has none such), "procedures": those of `field`, or all}."""
        listing = validate(ProcedureListing, {"field": field})
        return self.content.procedures.list_published(unit, listing)

    # The editorial board

    @rpc
    def get_procedure_draft(self, actor, procedure_id):
        return self.content.procedures.get_draft(self.actor(actor), procedure_id)

    @rpc
    def list_procedure_drafts(self, actor, unit, status=None, limit=50, skip=0):
        """The unit's procedures as its board sees them, in every state unless `status` is given,
        last changed first."""
        listing = validate(EditorsListing, {"status": status, "limit": limit, "skip": skip})
        return self.content.procedures.for_editors(self.actor(actor), unit, listing)

    @rpc
    def procedure_history(self, actor, procedure_id, skip=0, limit=MAX_FETCH):
        """The procedure's revisions, oldest first."""
        page = validate(Page, {"skip": skip, "limit": limit})
        return self.content.procedures.history(self.actor(actor), procedure_id, page.skip, page.limit)

    @rpc
    def procedure_diff(self, actor, procedure_id, from_version, to_version):
        return self.content.procedures.diff(self.actor(actor), procedure_id, version_number(from_version, "from"),
                                            version_number(to_version, "to"))

    @rpc
    @once_per_request
    def create_procedure(self, actor, unit, data):
        return self.content.procedures.create(self.actor(actor), unit, validate(ProcedureInput, data))

    @rpc
    @once_per_request
    def update_procedure(self, actor, procedure_id, data, version=None):
        """`data`: the fields and "version" as the API's body has them, or the version given beside."""
        change = validate_change(ProcedureChange, data, expected_version(version))
        return self.announce(self.content.procedures.update(self.actor(actor), procedure_id, change, change.version))

    @rpc
    @once_per_request
    def publish_procedure(self, actor, procedure_id, version=None, data=None):
        """`data`: {"version"} as the API's body has it, or the version given beside."""
        publication = validate_change(ProcedurePublication, data or {}, expected_version(version))
        return self.announce(self.content.procedures.publish(self.actor(actor), procedure_id, publication.version))

    @rpc
    @once_per_request
    def withdraw_procedure(self, actor, procedure_id, version=None, data=None):
        """Take a published procedure off the site. `data`: {"version"}, or the version given beside."""
        publication = validate_change(ProcedurePublication, data or {}, expected_version(version))
        return self.announce(self.content.procedures.withdraw(self.actor(actor), procedure_id, publication.version))

    @rpc
    @once_per_request
    def rollback_procedure(self, actor, procedure_id, data):
        """`data`: {"to_version", "version"}: the fields as that revision kept them, checked again."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.procedures.rollback(self.actor(actor), procedure_id, rollback.to_version,
                                                              rollback.version))

    @rpc
    def import_procedures(self, actor, unit, items, published_at):
        """Publish at once each procedure (ProcedureInput) the unit has none of that name of yet,
        as published at `published_at` (ISO 8601 with zone): the demo's, an old site's. Returns
        how many were new; a second run adds nothing."""
        batch = validate(ProcedureImport, {"items": items, "published_at": published_at})
        return self.announce(self.content.procedures.import_published(self.actor(actor), unit, batch.items,
                                                                      batch.published_at))
