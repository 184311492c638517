"""Deadline phrases of school roadmaps, read into dates (see :func:`parse_deadline`)."""

from workflow.deadlines.model import KINDS, Deadline, DeadlineKind
from workflow.deadlines.reader import parse_deadline

__all__ = ["KINDS", "Deadline", "DeadlineKind", "parse_deadline"]
