import { TextField, type FormState } from "~/components/forms";
import { WARD_GSS_HINT } from "~/core/places/gss";

export function WardFields({
  state,
  defaults,
}: {
  state?: FormState;
  defaults?: { name: string; gssCode: string; population: number };
}) {
  return (
    <>
      <TextField name="name" label="Ward name" defaultValue={defaults?.name} state={state} />
      <TextField
        name="gssCode"
        label="GSS code"
        hint={WARD_GSS_HINT}
        defaultValue={defaults?.gssCode}
        spellCheck={false}
        className="max-w-48"
        state={state}
      />
      <TextField
        name="population"
        label="Population"
        hint="From the latest ONS ward population estimate. Used to share budgets pro rata."
        inputMode="numeric"
        defaultValue={defaults ? String(defaults.population) : undefined}
        className="max-w-48"
        state={state}
      />
    </>
  );
}
