"""What reaches people: the inbox, notifications, reminders, e-mail."""
