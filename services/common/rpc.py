"""The `@rpc` entrypoint every service uses: errors raised on purpose for the caller
(PortalError) are logged as expected outcomes, not as crashes."""
from nameko.rpc import rpc as nameko_rpc

from services.common.errors import PortalError

rpc = nameko_rpc(expected_exceptions=PortalError)
