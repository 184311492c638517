"""Municipal compliance: checkpoints, indicators, reports."""
