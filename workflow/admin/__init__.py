"""Administration in the browser: organisations, people and their grants, invitations and
password resets, registration journals, staff import and the administrative log."""
