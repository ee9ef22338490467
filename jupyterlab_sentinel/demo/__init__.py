"""The synthetic demo workspace: a month of a small organisation's security logs with one attack.

See ``STORY.md`` beside this file for the attack and where its traces are. The server keeps the
data set current (``rebase.py``): it always ends in the current hour.
"""

from .generator import GenerationReport, generate, is_generated
from .rebase import keep_current, needs_rebase, rebase

__all__ = ["GenerationReport", "generate", "is_generated", "keep_current", "needs_rebase", "rebase"]
