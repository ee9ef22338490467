"""Hunt packs shipped with the package: folders of Microsoft Sentinel rule files (YAML).

The server only hands out the files: reading them as rules, compiling their KQL and classifying
each rule's outcome is the TypeScript engine's (``src/kql/hunts/``), shared by the sidebar and
``bin/kql hunt``; a pack runs through the ordinary query endpoint, within its limits. Folders of
rules in the Jupyter root are read by the browser through the contents API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import NotFound

#: Folder of the packs shipped with the package, one subfolder per pack.
PACKAGE_HUNTS = Path(__file__).parent / "hunts"
#: Larger files are not rules: they are listed with the reason, not read.
MAX_RULE_BYTES = 1024 * 1024
RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class HuntPacks:
    """The packs under one folder (by default the shipped ones)."""

    folder: Path = PACKAGE_HUNTS

    def _packs(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name[0] not in "._")

    @staticmethod
    def _rule_files(pack: Path) -> list[Path]:
        return sorted(
            p for p in pack.rglob("*") if p.is_file() and p.suffix.lower() in RULE_SUFFIXES
        )

    def list(self) -> list[dict[str, Any]]:
        """Every pack: its id and how many rule files it has."""
        return [
            {"id": pack.name, "source": "shipped", "files": len(self._rule_files(pack))}
            for pack in self._packs()
        ]

    def get(self, pack_id: str) -> dict[str, Any]:
        """A pack's rule files, each with its text, or the reason it cannot be read."""
        pack = next((p for p in self._packs() if p.name == pack_id), None)
        if pack is None:
            raise NotFound(f"there is no hunt pack {pack_id!r}")
        files: list[dict[str, str]] = []
        for path in self._rule_files(pack):
            name = path.relative_to(pack).as_posix()
            if path.stat().st_size > MAX_RULE_BYTES:
                files.append({"path": name, "error": "larger than 1 MB: not a rule file"})
                continue
            try:
                files.append({"path": name, "text": path.read_text(encoding="utf-8")})
            except UnicodeDecodeError:
                files.append({"path": name, "error": "not UTF-8 text"})
        return {"id": pack.name, "source": "shipped", "files": files}
