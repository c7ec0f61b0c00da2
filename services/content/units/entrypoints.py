from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.revisions import Rollback
from services.content.units.schemas import (
    AuditQuery,
    LevelInput,
    LevelQuery,
    Merger,
    Placement,
    UnitInput,
    UnitProfileChange,
    UnitQuery,
    UnitStep,
)
from services.content.validation import Page, expected_version, validate, validate_change, version_number


class UnitEntrypoints:
    @rpc
    @once_per_request
    def create_level(self, actor, data):
        return self.content.units.create_level(self.actor(actor), validate(LevelInput, data))

    @rpc
    def list_levels(self, skip=0, limit=None):
        """The levels, from the top of the tree down: `limit` of them after `skip` (all by default)."""
        return self.content.units.list_levels(validate(LevelQuery, {"skip": skip, "limit": limit}))

    @rpc
    @once_per_request
    def create_unit(self, actor, data):
        return self.announce(self.content.units.create(self.actor(actor), validate(UnitInput, data)))

    @rpc
    @once_per_request
    def update_unit_profile(self, actor, slug, data, version=None):
        """`data` is the profile, with the `version` it is based on among its fields or beside them."""
        change = validate_change(UnitProfileChange, data, expected_version(version))
        return self.announce(self.content.units.update_profile(self.actor(actor), slug, change, change.version))

    @rpc
    def unit_history(self, actor, slug, skip=0, limit=100):
        """The unit profile's revisions, oldest first (for whoever may change the profile)."""
        return self.content.units.history(self.actor(actor), slug, validate(Page, {"skip": skip, "limit": limit}))

    @rpc
    def unit_diff(self, actor, slug, from_version, to_version):
        return self.content.units.diff(self.actor(actor), slug, version_number(from_version, "from"),
                                       version_number(to_version, "to"))

    @rpc
    @once_per_request
    def rollback_unit(self, actor, slug, data):
        """{"to_version", "version"}: the profile of an earlier revision, as the next version."""
        rollback = validate(Rollback, data)
        return self.announce(self.content.units.rollback(self.actor(actor), slug, rollback.to_version,
                                                         rollback.version))

    @rpc
    @once_per_request
    def place_unit(self, actor, slug, data, version=None):
        placement = validate_change(Placement, data, expected_version(version))
        return self.announce(self.content.units.place(self.actor(actor), slug, placement, placement.version))

    @rpc
    @once_per_request
    def merge_unit(self, actor, slug, data, version=None):
        """`data`: {"successor", "version"?}."""
        merger = validate_change(Merger, data, expected_version(version))
        return self.announce(self.content.units.merge(self.actor(actor), slug, merger.successor, merger.version))

    @rpc
    @once_per_request
    def dissolve_unit(self, actor, slug, data=None):
        """`data`: {"version"?}."""
        step = validate(UnitStep, data or {})
        return self.announce(self.content.units.dissolve(self.actor(actor), slug, step.version))

    @rpc
    def get_unit(self, slug):
        return self.content.units.get(slug)

    @rpc
    def resolve_unit(self, slug):
        """The unit answering for `slug` now: itself, or its successor after merges."""
        return self.content.units.resolve(slug)

    @rpc
    def list_units(self, skip=0, limit=None, sort="slug", level=None, parent=None, status=None):
        """Units, by slug or (sort="name") by name in Vietnamese order, "-" first for the reverse;
        only those at `level`, under `parent` or in `status` when given; all of them by default."""
        return self.content.units.list(validate(UnitQuery, {
            "skip": skip, "limit": limit, "sort": sort, "level": level, "parent": parent, "status": status}))

    @rpc
    def audit_log(self, actor, unit, limit=100, skip=0, action=None, by=None, target=None):
        """The unit's audit entries, latest first; only those of an `action`, made `by` a user or
        about a `target` when given."""
        asked = validate(AuditQuery, {"limit": limit, "skip": skip, "action": action, "actor": by, "target": target})
        self.actor(actor).require("audit.read", unit)
        self.content.units.require(unit)
        return self.content.audit.list(unit, asked)
