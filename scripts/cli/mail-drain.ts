import "../mail-drain";
