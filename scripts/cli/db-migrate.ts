import "../db-migrate";
