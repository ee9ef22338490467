"""The server extension as Jupyter loads it: an extension app, so that it hears the server stop.

Apart from the package's ``__init__``, which a query worker process imports: this imports
jupyter_server.
"""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp

from . import _load_jupyter_server_extension
from .lake import Lake


class SentinelExtension(ExtensionApp):
    """The server extension: registers the REST API, and stops the query workers and removes the
    spill folder when the server stops."""

    name = "jupyterlab_sentinel"
    lake: Lake | None = None

    def initialize_handlers(self) -> None:
        """Registers the REST API (see `_load_jupyter_server_extension`)."""
        self.lake = _load_jupyter_server_extension(self.serverapp)

    async def stop_extension(self) -> None:
        """Stops the query workers and removes the server's spill folder."""
        if self.lake is not None:
            self.lake.close()
