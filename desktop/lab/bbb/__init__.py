"""The lab's BigBlueButton 3 emulator: HTTP API, GraphQL chat websocket and client page.

See :mod:`desktop.lab.bbb.server` for the URLs and the ``down`` fault, :mod:`…api` for the API
rules, :mod:`…graphql` for exactly what the websocket sends, :mod:`…client_page` for the page.
"""

from desktop.lab.bbb.server import BBBServer, make_app
from desktop.lab.bbb.state import BBBOptions

__all__ = ["BBBOptions", "BBBServer", "make_app"]
