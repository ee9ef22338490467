"""A local server answering GitHub's REST paths with GitHub's response shapes (git trees, git
blobs, ETag/304, 404, rate limit), for the GitHub sources of templates and hunt packs."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote


class FakeGitHub:
    """One branch of one repository, as GitHub's API serves it."""

    def __init__(self, owner: str, repo: str, branch: str, files: dict[str, bytes]) -> None:
        self.owner, self.repo, self.branch = owner, repo, branch
        self.files = files
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.fail: tuple[int, dict[str, str], dict[str, str]] | None = None
        #: Answer the recursive listing of the branch as GitHub does past its limits: in part.
        self.truncated = False

    @staticmethod
    def sha(content: bytes) -> str:
        return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()

    @staticmethod
    def tree_sha(folder: str) -> str:
        return hashlib.sha1(b"tree " + folder.encode()).hexdigest()

    def tree(self, folder: str = "", recursive: bool = True) -> dict[str, Any]:
        """The listing of a folder ("" for the root), recursive or one level."""
        base = f"{folder}/" if folder else ""
        under = {p[len(base) :]: c for p, c in self.files.items() if p.startswith(base)}
        folders = sorted(
            {"/".join(p.split("/")[:i]) for p in under for i in range(1, p.count("/") + 1)}
        )
        entries = [
            *(
                {"path": f, "mode": "040000", "type": "tree", "sha": self.tree_sha(base + f)}
                for f in folders
            ),
            *(
                {
                    "path": path,
                    "mode": "100644",
                    "type": "blob",
                    "sha": self.sha(content),
                    "size": len(content),
                }
                for path, content in under.items()
            ),
        ]
        if not recursive:
            entries = [e for e in entries if "/" not in e["path"]]
        truncated = self.truncated and recursive and not folder
        return {
            "sha": self.tree_sha(folder),
            "url": "http://example/tree",
            "truncated": truncated,
            "tree": entries[:1] if truncated else entries,
        }

    def etag(self) -> str:
        return '"' + hashlib.md5(json.dumps(self.tree()).encode()).hexdigest() + '"'


@contextmanager
def serve(fake: FakeGitHub) -> Iterator[str]:
    """Serves the repository on a local port; yields the API's base URL (raw files under /raw)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def answer(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            fake.requests.append((self.path, dict(self.headers)))
            if fake.fail is not None:
                status, body, headers = fake.fail
                self.answer(status, body, headers)
                return
            raw = f"/raw/{fake.owner}/{fake.repo}/{fake.branch}/"
            if self.path.startswith(raw):
                content = fake.files.get(unquote(self.path[len(raw) :]))
                self.send_response(200 if content is not None else 404)
                self.end_headers()
                self.wfile.write(content or b"404: Not Found")
                return
            base = f"/repos/{fake.owner}/{fake.repo}/git/"
            if self.path == base + f"trees/{quote(fake.branch)}?recursive=1":
                etag = fake.etag()
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.answer(200, fake.tree(), {"ETag": etag})
                return
            if self.path == base + f"trees/{quote(fake.branch)}":
                self.answer(200, fake.tree(recursive=False), {})
                return
            folders = {p.rsplit("/", i)[0] for p in fake.files for i in range(1, p.count("/") + 1)}
            for folder in folders:
                for recursive in (True, False):
                    suffix = "?recursive=1" if recursive else ""
                    if self.path == base + f"trees/{fake.tree_sha(folder)}{suffix}":
                        self.answer(200, fake.tree(folder, recursive), {})
                        return
            for content in fake.files.values():
                if self.path == base + "blobs/" + fake.sha(content):
                    self.answer(
                        200,
                        {
                            "sha": fake.sha(content),
                            "size": len(content),
                            "encoding": "base64",
                            "content": base64.encodebytes(content).decode(),
                        },
                        {},
                    )
                    return
            self.answer(
                404,
                {
                    "message": "Not Found",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "404",
                },
                {},
            )

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
