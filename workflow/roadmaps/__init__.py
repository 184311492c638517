"""Roadmaps: import, items, statuses, deadlines, timeline, calendar feed."""
