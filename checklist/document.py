"""Editing an inventory file in place without disturbing anything else.

The interview saves every answer as soon as it is given. YAML is edited
with a round-trip parser (ruamel.yaml) so that the user's comments, key
order, quoting and the other applications survive; JSON keeps its key
order. Every save is atomic (see `checklist.output.write_atomic`).
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path
from typing import Any

from checklist.errors import ChecklistError, Problem
from checklist.output import write_atomic

HEADER = ("Inventory written by `checklist interview`. Edit freely: comments and order are kept.\n"
          "Every question and its allowed answers: `checklist schema inventory`.")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    return yaml


class InventoryDocument:
    """One inventory file, loaded for editing."""

    def __init__(self, path: Path, data: Any, kind: str, yaml: Any = None) -> None:
        self.path = path
        self.data = data
        self.kind = kind
        self._yaml = yaml

    # -- loading and creating -------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> InventoryDocument:
        """Open an existing inventory (already validated by `load_inventory`)."""
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".json":
            return cls(path, json.loads(text), "json")
        yaml = _yaml()
        # Keep the file's own indentation, so untouched parts re-serialise as written.
        mapping, offset = guess_indentation(text)
        yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        return cls(path, yaml.load(text), "yaml", yaml)

    @classmethod
    def create(cls, path: Path, organization: str) -> InventoryDocument:
        """A new, empty inventory for `organization` (not written until the first save)."""
        if path.suffix.lower() == ".json":
            data: Any = {"version": 1, "organization": {"name": organization, "answers": {}}, "applications": []}
            return cls(path, data, "json")
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        yaml = _yaml()
        yaml.indent(mapping=2, sequence=4, offset=2)
        data = CommentedMap()
        data.yaml_set_start_comment(HEADER)
        data["version"] = 1
        org = CommentedMap()
        org["name"] = organization
        org["answers"] = CommentedMap()
        data["organization"] = org
        data["applications"] = CommentedSeq()
        return cls(path, data, "yaml", yaml)

    # -- reading ----------------------------------------------------------------
    def application(self, app_id: str) -> Any | None:
        for app in self.data.get("applications") or []:
            if app.get("id") == app_id:
                return app
        return None

    def application_ids(self) -> list[str]:
        return [str(app.get("id")) for app in self.data.get("applications") or []]

    def answers(self, app_id: str | None) -> dict[str, Any]:
        """A plain copy of the organisation's (None) or an application's answers."""
        holder = self._holder(app_id, create=False)
        answers = holder.get("answers") if holder is not None else None
        return {str(k): _plain(v) for k, v in (answers or {}).items()}

    def organization_name(self) -> str:
        org = self.data.get("organization") or {}
        return str(org.get("name") or "")

    # -- changing -------------------------------------------------------------
    def add_application(self, app_id: str, name: str, owner: str, criticality: str) -> None:
        if self.kind == "yaml":
            from ruamel.yaml.comments import CommentedMap, CommentedSeq

            app: Any = CommentedMap()
            empty_answers: Any = CommentedMap()
            if self.data.get("applications") is None:
                self.data["applications"] = CommentedSeq()
        else:
            app, empty_answers = {}, {}
            self.data.setdefault("applications", [])
        app["id"] = app_id
        if name:
            app["name"] = name
        if owner:
            app["owner"] = owner
        if criticality:
            app["criticality"] = criticality
        app["answers"] = empty_answers
        self.data["applications"].append(app)

    def set_answer(self, app_id: str | None, fact_id: str, value: Any) -> None:
        """Record one answer (in memory); call `save` to write it."""
        holder = self._holder(app_id, create=True)
        answers = holder.get("answers")
        if answers is None:
            answers = self._mapping()
            holder["answers"] = answers
        elif not answers and hasattr(answers, "fa"):
            answers.fa.set_block_style()  # `answers: {}` grows into a block, one answer a line
        if self.kind == "yaml" and isinstance(value, list):
            from ruamel.yaml.comments import CommentedSeq

            seq = CommentedSeq(value)
            seq.fa.set_flow_style()  # [a, b] reads best for multi answers
            value = seq
        answers[fact_id] = value

    def render(self) -> str:
        if self.kind == "json":
            return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()

    def save(self) -> None:
        """Write the whole document atomically: the old file stays intact on any failure."""
        write_atomic(self.path, self.render())

    # -- helpers ---------------------------------------------------------------
    def _mapping(self) -> Any:
        if self.kind == "yaml":
            from ruamel.yaml.comments import CommentedMap

            return CommentedMap()
        return {}

    def _holder(self, app_id: str | None, *, create: bool) -> Any:
        if app_id is None:
            org = self.data.get("organization")
            if org is None and create:
                org = self._mapping()
                self.data["organization"] = org
            return org
        app = self.application(app_id)
        if app is None and create:
            raise ChecklistError(Problem(str(self.path), f"no application {app_id!r} in this inventory"))
        return app


def guess_indentation(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) as the file's top-level blocks use them; (2, 2) if none show."""
    mapping = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in itertools.pairwise(lines):
        if above[:1] in (" ", "-") or not above.rstrip().endswith(":"):
            continue  # only blocks that open at the top level tell us the file's style
        indent = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- "):
            offset = indent if offset is None else offset
        elif indent:
            mapping = indent if mapping is None else mapping
    return mapping or 2, 2 if offset is None else offset


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
