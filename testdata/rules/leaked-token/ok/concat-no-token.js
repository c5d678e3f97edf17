const a = "vntg_tkn_" + id; // built at run time
const b = "tkn_" + "x";
