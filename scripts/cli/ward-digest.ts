import "../ward-digest";
