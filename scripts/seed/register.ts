/**
 * The demo residents' register of Brookside (ward EB2): 30 made-up residents with the reference
 * printed on their polling card, postcode, date of birth and surname, as a council's extract would
 * give them (dates as DD/MM/YYYY). The demo round "Brookside Residents Decide" uses it; only keyed
 * hashes of it are stored. README.md lists one row to try.
 */
const SURNAMES = [
  "Okafor",
  "Hughes",
  "Patel",
  "Nowak",
  "Núñez",
  "O’Brien",
  "Campbell",
  "Ahmed",
  "Evans",
  "Kowalczyk",
  "Murphy",
  "Singh",
  "Thompson",
  "Li",
  "Walker",
  "Begum",
  "Davies",
  "Rossi",
  "Clarke",
  "Mensah",
  "Wright",
  "Khan",
  "Jones",
  "Fernández",
  "Taylor",
  "Nguyen",
  "Roberts",
  "Hussain",
  "Wilson",
  "Brontë",
];
const INWARD = ["AA", "AB", "AD", "AE", "AF", "AG", "AH", "AJ", "AL", "AN"];

export interface DemoRegisterRow {
  reference: string;
  postcode: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  surname: string;
}

export const DEMO_REGISTER: readonly DemoRegisterRow[] = SURNAMES.map((surname, i) => ({
  reference: `BRK-${String(1001 + i)}`,
  postcode: `EB2 ${1 + (i % 5)}${INWARD[(i * 3) % INWARD.length]}`,
  dateOfBirth: [1950 + ((i * 7) % 55), 1 + ((i * 5) % 12), 1 + ((i * 11) % 28)]
    .map((n) => String(n).padStart(2, "0"))
    .join("-"),
  surname,
}));

/** The extract as the council would upload it: reference, postcode, date of birth (DD/MM/YYYY), surname. */
export function demoRegisterCsv(): string {
  const lines = ["elector_number,postcode,dob,surname"];
  for (const row of DEMO_REGISTER) {
    const [y, m, d] = row.dateOfBirth.split("-");
    lines.push(`${row.reference},${row.postcode},${d}/${m}/${y},"${row.surname}"`);
  }
  return `${lines.join("\n")}\n`;
}

export const DEMO_REGISTER_COLUMNS = {
  reference: "elector_number",
  postcode: "postcode",
  dateOfBirth: "dob",
  surname: "surname",
};
