/**
 * The fields of a PB round's settings, for setting a round up and for changing it. Fields whose
 * rules are locked (voting has opened, or the pot is in the ledger) are shown read-only; the server
 * refuses changes to them either way.
 */
import { CheckboxGroup, SelectField, TextAreaField, TextField, type FormState } from "~/components/forms";
import { COUNTING_RULE_LABELS, TIE_BREAK_LABELS } from "~/core/rounds/gallery";

export interface RoundFieldDefaults {
  name?: string;
  description?: string;
  wardIds?: string[];
  pot?: string;
  minBid?: string;
  maxBid?: string;
  bidsOpenAt?: string;
  bidsCloseAt?: string;
  votingOpensAt?: string;
  votingClosesAt?: string;
  resultsAt?: string;
  maxRanked?: string;
  minVoterAge?: string;
  countingRule?: string;
  tieBreak?: string;
}

export function RoundFields({
  state,
  wards,
  defaults = {},
  rulesLocked = false,
  potLocked = false,
  closingDateOpen = false,
}: {
  state: FormState | undefined;
  wards: { id: number; name: string }[];
  defaults?: RoundFieldDefaults;
  rulesLocked?: boolean;
  potLocked?: boolean;
  /** While voting runs, the closing date can still move to a time to come. */
  closingDateOpen?: boolean;
}) {
  const lockedHint = "Fixed when voting opened.";
  return (
    <>
      <TextField name="name" label="Name" defaultValue={defaults.name} state={state} />
      <TextAreaField
        name="description"
        label="Description"
        hint="What the round is for, published on its page."
        rows={4}
        defaultValue={defaults.description}
        state={state}
      />
      <h2>Area</h2>
      {rulesLocked ? (
        <LockedArea wards={wards} chosen={defaults.wardIds ?? []} />
      ) : (
        <CheckboxGroup
          name="wardIds"
          legend="Wards in the area"
          hint="Tick the wards whose residents may bid and vote. Tick none for the whole council."
          options={wards.map((w) => ({ value: String(w.id), label: w.name }))}
          defaultChecked={defaults.wardIds ?? []}
          state={state}
        />
      )}
      <h2>The money</h2>
      <TextField
        name="pot"
        label="Pot (£)"
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.pot}
        readOnly={potLocked || rulesLocked}
        hint={potLocked ? "In the ledger since the round opened." : undefined}
        state={state}
      />
      <TextField
        name="minBid"
        label="Smallest bid (£)"
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.minBid}
        readOnly={rulesLocked}
        hint={rulesLocked ? lockedHint : undefined}
        state={state}
      />
      <TextField
        name="maxBid"
        label="Largest bid (£)"
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.maxBid}
        readOnly={rulesLocked}
        hint={rulesLocked ? lockedHint : undefined}
        state={state}
      />
      <h2>Dates</h2>
      <p className="hint">
        Times are UK time (Europe/London, with summer time). Each date must be later than the one before; the round
        moves on by itself when a date passes.
      </p>
      <TextField
        name="bidsOpenAt"
        label="Bids open"
        type="datetime-local"
        defaultValue={defaults.bidsOpenAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="bidsCloseAt"
        label="Bids close"
        type="datetime-local"
        defaultValue={defaults.bidsCloseAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="votingOpensAt"
        label="Voting opens"
        type="datetime-local"
        defaultValue={defaults.votingOpensAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="votingClosesAt"
        label="Voting closes"
        type="datetime-local"
        defaultValue={defaults.votingClosesAt}
        readOnly={rulesLocked && !closingDateOpen}
        hint={
          rulesLocked && closingDateOpen
            ? "Voting is open: it can be set to close at any time still to come."
            : undefined
        }
        state={state}
      />
      <TextField
        name="resultsAt"
        label="Results published (optional)"
        type="datetime-local"
        defaultValue={defaults.resultsAt}
        state={state}
      />
      <h2>Ballot and count</h2>
      <TextField
        name="maxRanked"
        label="Projects a voter may rank"
        inputMode="numeric"
        className="max-w-24"
        defaultValue={defaults.maxRanked ?? "5"}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="minVoterAge"
        label="Minimum voting age"
        inputMode="numeric"
        className="max-w-24"
        defaultValue={defaults.minVoterAge ?? "16"}
        readOnly={rulesLocked}
        state={state}
      />
      {rulesLocked ? (
        <>
          <ReadOnly
            name="countingRule"
            label="Counting rule"
            value={defaults.countingRule ?? "greedy"}
            text={COUNTING_RULE_LABELS[(defaults.countingRule ?? "greedy") as keyof typeof COUNTING_RULE_LABELS]}
          />
          <ReadOnly
            name="tieBreak"
            label="Tie-break"
            value={defaults.tieBreak ?? "project-id"}
            text={TIE_BREAK_LABELS[(defaults.tieBreak ?? "project-id") as keyof typeof TIE_BREAK_LABELS]}
          />
        </>
      ) : (
        <>
          <SelectField
            name="countingRule"
            label="Counting rule"
            options={Object.entries(COUNTING_RULE_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={defaults.countingRule}
            state={state}
          />
          <SelectField
            name="tieBreak"
            label="Tie-break"
            options={Object.entries(TIE_BREAK_LABELS).map(([value, label]) => ({ value, label }))}
            defaultValue={defaults.tieBreak}
            state={state}
          />
        </>
      )}
    </>
  );
}

function ReadOnly({ name, label, value, text }: { name: string; label: string; value: string; text: string }) {
  return (
    <div className="field">
      <p className="font-semibold">{label}</p>
      <p>{text}</p>
      <input type="hidden" name={name} value={value} />
    </div>
  );
}

function LockedArea({ wards, chosen }: { wards: { id: number; name: string }[]; chosen: string[] }) {
  const names =
    chosen.length === 0 ? ["Every ward"] : wards.filter((w) => chosen.includes(String(w.id))).map((w) => w.name);
  return (
    <div className="field">
      <p className="font-semibold">Wards in the area</p>
      <p>{names.join(", ")}</p>
      {chosen.map((id) => (
        <input key={id} type="hidden" name="wardIds" value={id} />
      ))}
    </div>
  );
}
