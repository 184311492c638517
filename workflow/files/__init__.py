"""Files of documents: DOCX rendering, downloads, previews, templates."""
