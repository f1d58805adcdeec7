import "../round-phases";
