/**
 * The typed errors of the counting module. A count never guesses: bad input stops with an
 * `InvalidInputError` that names the field (or file line) at fault, and a tie that needs a rule the
 * input did not give (tie-break mode `ask`, or a PB tie with no rule) stops with a
 * `TieBreakRequiredError` listing the tied names, so an operator can decide and count again.
 */

export class CountingError extends Error {
  override name = "CountingError";
}

/** One problem in the input, located by a field path (`ballots[12].count`) or a line (`line 37`). */
export class InvalidInputError extends CountingError {
  override name = "InvalidInputError";

  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

export class TieBreakRequiredError extends CountingError {
  override name = "TieBreakRequiredError";

  constructor(
    readonly round: number,
    readonly purpose: string,
    readonly tied: readonly string[],
    reason: string,
  ) {
    super(
      `round ${round}: a tie between ${tied.map((t) => `"${t}"`).join(", ")} (choosing the ${purpose}) needs a decision: ${reason}`,
    );
  }
}
