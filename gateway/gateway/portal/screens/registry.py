"""The table of screens by (role, path), and how a path finds its screen."""
from __future__ import annotations

from gateway.portal.screens.model import Screen

SCREENS: dict[tuple[str, str], Screen] = {}


def _add(role: str, screen: Screen) -> None:
    SCREENS[(role, screen.path)] = screen


#: the to-do links of the services name these paths; they show the screen of the same records
ALIASES = {"publicity/cases": "publicity-cases", "publicity/objections": "objections",
           "publicity/batches": "publicity-batches"}


def screen_for(role: str, path: str) -> Screen | None:
    return SCREENS.get((role, ALIASES.get(path, path)))
