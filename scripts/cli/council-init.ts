import "../council-init";
