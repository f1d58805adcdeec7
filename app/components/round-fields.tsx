/**
 * The fields of a PB round's settings, for setting a round up and for changing it. Fields whose
 * rules are locked (voting has opened, or the pot is in the ledger) are shown read-only; the server
 * refuses changes to them either way.
 */
import { CheckboxGroup, SelectField, TextAreaField, TextField, type FormState } from "~/components/forms";
import { useTranslation } from "react-i18next";
import { pickLocalised } from "~/core/localised";
import { COUNTING_RULE_LABELS, TIE_BREAK_LABELS } from "~/core/rounds/gallery";

export interface RoundFieldDefaults {
  name?: string;
  description?: string;
  nameCy?: string;
  descriptionCy?: string;
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
  seats?: string;
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
  wards: { id: number; name: string; nameCy?: string | null }[];
  defaults?: RoundFieldDefaults;
  rulesLocked?: boolean;
  potLocked?: boolean;
  /** While voting runs, the closing date can still move to a time to come. */
  closingDateOpen?: boolean;
}) {
  const { t, i18n } = useTranslation("admin");
  const wardName = (w: { name: string; nameCy?: string | null }) =>
    pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text;
  const lockedHint = t("roundFields.locked");
  return (
    <>
      <TextField name="name" label={t("roundFields.name")} defaultValue={defaults.name} state={state} />
      <TextAreaField
        name="description"
        label={t("roundFields.description")}
        hint={t("roundFields.descriptionHint")}
        rows={4}
        defaultValue={defaults.description}
        state={state}
      />
      <TextField
        name="nameCy"
        label={t("projects:roundForm.nameCy")}
        hint={t("projects:roundForm.nameCyHint")}
        lang="cy"
        defaultValue={defaults.nameCy}
        state={state}
      />
      <TextAreaField
        name="descriptionCy"
        label={t("projects:roundForm.descriptionCy")}
        hint={t("projects:roundForm.descriptionCyHint")}
        lang="cy"
        rows={4}
        defaultValue={defaults.descriptionCy}
        state={state}
      />
      <h2>{t("roundFields.area")}</h2>
      {rulesLocked ? (
        <LockedArea wards={wards} chosen={defaults.wardIds ?? []} />
      ) : (
        <CheckboxGroup
          name="wardIds"
          legend={t("roundFields.wardsInArea")}
          hint={t("roundFields.wardsHint")}
          options={wards.map((w) => ({ value: String(w.id), label: wardName(w) }))}
          defaultChecked={defaults.wardIds ?? []}
          state={state}
        />
      )}
      <h2>{t("roundFields.money")}</h2>
      <TextField
        name="pot"
        label={t("roundFields.pot")}
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.pot}
        readOnly={potLocked || rulesLocked}
        hint={potLocked ? t("roundFields.potLocked") : undefined}
        state={state}
      />
      <TextField
        name="minBid"
        label={t("roundFields.minBid")}
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.minBid}
        readOnly={rulesLocked}
        hint={rulesLocked ? lockedHint : undefined}
        state={state}
      />
      <TextField
        name="maxBid"
        label={t("roundFields.maxBid")}
        inputMode="decimal"
        className="max-w-48"
        defaultValue={defaults.maxBid}
        readOnly={rulesLocked}
        hint={rulesLocked ? lockedHint : undefined}
        state={state}
      />
      <h2>{t("roundFields.dates")}</h2>
      <p className="hint">{t("roundFields.datesHint")}</p>
      <TextField
        name="bidsOpenAt"
        label={t("roundFields.bidsOpenAt")}
        type="datetime-local"
        defaultValue={defaults.bidsOpenAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="bidsCloseAt"
        label={t("roundFields.bidsCloseAt")}
        type="datetime-local"
        defaultValue={defaults.bidsCloseAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="votingOpensAt"
        label={t("roundFields.votingOpensAt")}
        type="datetime-local"
        defaultValue={defaults.votingOpensAt}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="votingClosesAt"
        label={t("roundFields.votingClosesAt")}
        type="datetime-local"
        defaultValue={defaults.votingClosesAt}
        readOnly={rulesLocked && !closingDateOpen}
        hint={rulesLocked && closingDateOpen ? t("roundFields.closingOpen") : undefined}
        state={state}
      />
      <TextField
        name="resultsAt"
        label={t("roundFields.resultsAt")}
        type="datetime-local"
        defaultValue={defaults.resultsAt}
        state={state}
      />
      <h2>{t("roundFields.ballotAndCount")}</h2>
      <TextField
        name="maxRanked"
        label={t("roundFields.maxRanked")}
        inputMode="numeric"
        className="max-w-24"
        defaultValue={defaults.maxRanked ?? "5"}
        readOnly={rulesLocked}
        state={state}
      />
      <TextField
        name="minVoterAge"
        label={t("roundFields.minVoterAge")}
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
            label={t("roundFields.countingRule")}
            value={defaults.countingRule ?? "greedy"}
            text={t(`countingRule.${defaults.countingRule ?? "greedy"}`)}
          />
          <ReadOnly
            name="tieBreak"
            label={t("roundFields.tieBreak")}
            value={defaults.tieBreak ?? "project-id"}
            text={t(`tieBreak.${defaults.tieBreak ?? "project-id"}`)}
          />
          <ReadOnly
            name="seats"
            label={t("roundFields.seats")}
            value={defaults.seats ?? "1"}
            text={defaults.seats ?? "1"}
          />
        </>
      ) : (
        <>
          <SelectField
            name="countingRule"
            label={t("roundFields.countingRule")}
            options={Object.keys(COUNTING_RULE_LABELS).map((value) => ({ value, label: t(`countingRule.${value}`) }))}
            defaultValue={defaults.countingRule}
            state={state}
          />
          <SelectField
            name="tieBreak"
            label={t("roundFields.tieBreak")}
            options={Object.keys(TIE_BREAK_LABELS).map((value) => ({ value, label: t(`tieBreak.${value}`) }))}
            defaultValue={defaults.tieBreak}
            state={state}
          />
          <RankedRuleFields defaults={defaults} state={state} />
        </>
      )}
    </>
  );
}

/** Only STV and Scottish STV read it: how many places (projects) the count fills. */
function RankedRuleFields({ defaults, state }: { defaults: RoundFieldDefaults; state: FormState | undefined }) {
  const { t } = useTranslation("admin");
  return (
    <fieldset className="field">
      <legend className="font-semibold">{t("roundFields.rankedCounts")}</legend>
      <TextField
        name="seats"
        label={t("roundFields.seats")}
        hint={t("roundFields.seatsHint")}
        inputMode="numeric"
        className="max-w-24"
        defaultValue={defaults.seats ?? "1"}
        state={state}
      />
    </fieldset>
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

function LockedArea({
  wards,
  chosen,
}: {
  wards: { id: number; name: string; nameCy?: string | null }[];
  chosen: string[];
}) {
  const { t, i18n } = useTranslation("admin");
  const names =
    chosen.length === 0
      ? [t("everyWard")]
      : wards
          .filter((w) => chosen.includes(String(w.id)))
          .map((w) => pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text);
  return (
    <div className="field">
      <p className="font-semibold">{t("roundFields.wardsInArea")}</p>
      <p>{names.join(", ")}</p>
      {chosen.map((id) => (
        <input key={id} type="hidden" name="wardIds" value={id} />
      ))}
    </div>
  );
}
