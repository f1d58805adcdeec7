import "../ledger-export";
