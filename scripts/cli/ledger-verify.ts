import "../ledger-verify";
