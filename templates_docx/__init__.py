"""Built-in DOCX templates, one file per document kind, shipped as package data."""
