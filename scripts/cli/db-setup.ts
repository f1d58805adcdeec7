import "../db-setup";
