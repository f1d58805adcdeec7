import "../reminders";
