"""Deadline phrases of school roadmaps, read into dates (see :func:`parse_deadline`)."""

from workflow.roadmaps.deadlines.model import KINDS, Deadline, DeadlineKind
from workflow.roadmaps.deadlines.reader import parse_deadline

__all__ = ["KINDS", "Deadline", "DeadlineKind", "parse_deadline"]
