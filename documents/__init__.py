"""Data layer: models, the session factory, DOCX rendering, registration journals, import/export."""
