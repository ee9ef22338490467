"""The redirect bridge page Entra ID sends the sign-in window back to."""

from __future__ import annotations

from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_sentinel.handlers import BRIDGE_SCRIPT

NO_TOKEN = {"Authorization": ""}


async def test_the_page_is_served_without_a_login_and_without_coop(jp_fetch: Any) -> None:
    response = await jp_fetch("sentinel", "auth", "redirect", headers=NO_TOKEN)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Cross-Origin-Opener-Policy" not in response.headers
    page = response.body.decode()
    assert 'src="redirect/msal-redirect-bridge.js"' in page
    assert 'src="redirect/broadcast.js"' in page


async def test_the_page_runs_msal_s_bridge(jp_fetch: Any) -> None:
    call = await jp_fetch("sentinel", "auth", "redirect", "broadcast.js", headers=NO_TOKEN)
    assert b"msalRedirectBridge.broadcastResponseToMainFrame()" in call.body
    if not BRIDGE_SCRIPT.is_file():
        pytest.skip("the extension is not built: no copy of MSAL's redirect bridge")
    bridge = await jp_fetch(
        "sentinel", "auth", "redirect", "msal-redirect-bridge.js", headers=NO_TOKEN
    )
    assert b"msalRedirectBridge" in bridge.body
    assert bridge.headers["Content-Type"].startswith("text/javascript")


async def test_nothing_else_is_served_there(jp_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("sentinel", "auth", "redirect", "other.js", headers=NO_TOKEN)
    assert caught.value.code == 404
