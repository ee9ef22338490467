"""The synthetic demo workspace: a month of a small organisation's security logs with one attack.

See ``STORY.md`` beside this file for the attack and where its traces are.
"""

from .generator import GenerationReport, generate, is_generated

__all__ = ["GenerationReport", "generate", "is_generated"]
