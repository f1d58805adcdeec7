import "../db-backup";
