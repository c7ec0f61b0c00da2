from services.common.rpc import rpc
from services.content.royalties.schemas import ReportMonth
from services.content.validation import validate


def _month(month) -> str:
    return validate(ReportMonth, {"month": month}).month


class RoyaltyEntrypoints:
    @rpc
    def royalty_report(self, actor, unit, month):
        """Per author: the articles first published in `month` ("YYYY-MM") with their points, and totals."""
        return self.content.royalties.report(self.actor(actor), unit, _month(month))

    @rpc
    def royalty_csv(self, actor, unit, month):
        """The same report as CSV text starting with a UTF-8 byte order mark, for Excel."""
        return self.content.royalties.csv(self.actor(actor), unit, _month(month))
