from services.common.rpc import rpc
from services.content.outcomes import once_per_request
from services.content.units.schemas import LevelInput, Merger, Placement, UnitInput, UnitProfile
from services.content.validation import expected_version, validate


class UnitEntrypoints:
    @rpc
    @once_per_request
    def create_level(self, actor, data):
        return self.content.units.create_level(self.actor(actor), validate(LevelInput, data))

    @rpc
    def list_levels(self):
        return self.content.units.list_levels()

    @rpc
    @once_per_request
    def create_unit(self, actor, data):
        return self.announce(self.content.units.create(self.actor(actor), validate(UnitInput, data)))

    @rpc
    @once_per_request
    def update_unit_profile(self, actor, slug, data, version=None):
        return self.announce(self.content.units.update_profile(
            self.actor(actor), slug, validate(UnitProfile, data), expected_version(version)))

    @rpc
    @once_per_request
    def place_unit(self, actor, slug, data, version=None):
        return self.announce(self.content.units.place(
            self.actor(actor), slug, validate(Placement, data), expected_version(version)))

    @rpc
    @once_per_request
    def merge_unit(self, actor, slug, successor, version=None):
        return self.announce(self.content.units.merge(
            self.actor(actor), slug, validate(Merger, {"successor": successor}).successor, expected_version(version)))

    @rpc
    @once_per_request
    def dissolve_unit(self, actor, slug, version=None):
        return self.announce(self.content.units.dissolve(self.actor(actor), slug, expected_version(version)))

    @rpc
    def get_unit(self, slug):
        return self.content.units.get(slug)

    @rpc
    def resolve_unit(self, slug):
        """The unit answering for `slug` now: itself, or its successor after merges."""
        return self.content.units.resolve(slug)

    @rpc
    def list_units(self):
        return self.content.units.list()

    @rpc
    def audit_log(self, actor, unit, limit=100):
        self.actor(actor).require("audit.read", unit)
        return self.content.audit.list(unit, max(1, min(int(limit), 500)))
