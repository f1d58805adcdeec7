import { useTranslation } from "react-i18next";
import { TextField, type FormState } from "~/components/forms";
import { WARD_FIELD_LABEL_KEYS } from "~/forms/ward-form";

/** The ward form's field labels in the reader's language, for the error summary. */
export function useWardFieldLabels(): Record<string, string> {
  const { t } = useTranslation();
  return Object.fromEntries(Object.entries(WARD_FIELD_LABEL_KEYS).map(([field, key]) => [field, t(key)]));
}

export function WardFields({
  state,
  defaults,
}: {
  state?: FormState;
  defaults?: { name: string; nameCy: string | null; gssCode: string; population: number };
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField name="name" label={t("forms:ward.name")} defaultValue={defaults?.name} lang="en-GB" state={state} />
      <TextField
        name="nameCy"
        label={t("forms:ward.nameCy")}
        hint={t("forms:ward.nameCyHint")}
        defaultValue={defaults?.nameCy ?? undefined}
        lang="cy"
        state={state}
      />
      <TextField
        name="gssCode"
        label={t("forms:ward.gssCode")}
        hint={t("forms:ward.gssHint")}
        defaultValue={defaults?.gssCode}
        spellCheck={false}
        className="max-w-48"
        state={state}
      />
      <TextField
        name="population"
        label={t("forms:ward.population")}
        hint={t("forms:ward.populationHint")}
        inputMode="numeric"
        defaultValue={defaults ? String(defaults.population) : undefined}
        className="max-w-48"
        state={state}
      />
    </>
  );
}
