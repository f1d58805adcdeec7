import { useTranslation } from "react-i18next";
import { TextField, type FormState } from "~/components/forms";

/**
 * The officer's register check at an event: the reference on the voter's letter or polling card, or
 * else their postcode, date of birth and surname. Nothing is filled in again after an answer.
 */
export function RegisterCheckFields({ state }: { state: FormState | undefined }) {
  const { t } = useTranslation("events");
  const fresh = state ? { ...state, values: {} } : undefined;
  return (
    <fieldset className="field">
      <legend className="font-semibold">{t("check.registerLegend")}</legend>
      <p className="hint">{t("check.registerIntro")}</p>
      <TextField
        name="registerReference"
        label={t("check.registerReference")}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
        state={fresh}
      />
      <p className="font-semibold">{t("check.registerOr")}</p>
      <TextField name="registerPostcode" label={t("check.registerPostcode")} autoComplete="off" state={fresh} />
      <TextField
        name="registerDateOfBirth"
        label={t("check.registerDateOfBirth")}
        hint={t("check.registerDateOfBirthHint")}
        autoComplete="off"
        inputMode="numeric"
        state={fresh}
      />
      <TextField name="registerSurname" label={t("check.registerSurname")} autoComplete="off" state={fresh} />
    </fieldset>
  );
}
