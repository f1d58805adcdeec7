import { describe, expect, it } from "vitest";
import { messageKey, parseMessageKey, renderMessage, valuesFor, withWelsh } from "./message-key";

describe("message keys", () => {
  it("carry a key alone or with values that survive spaces, £ and punctuation", () => {
    expect(messageKey("bids:issue.title")).toBe("bids:issue.title");
    const message = messageKey("bids:issue.amountMin", { min: "£50.00", fund: "Ward budgets & more: 2026" });
    expect(parseMessageKey(message)).toEqual({
      key: "bids:issue.amountMin",
      values: { min: "£50.00", fund: "Ward budgets & more: 2026" },
    });
  });

  it("leave plain text alone", () => {
    expect(parseMessageKey("Enter a title for the project.")).toBeNull();
    expect(parseMessageKey("Note: something")).toBeNull();
    expect(parseMessageKey("forms:zod.required")).toEqual({ key: "forms:zod.required", values: {} });
  });

  it("carry council content's Welsh version for Welsh readers", () => {
    const message = messageKey("bids:fundRefusal.notOpen", withWelsh("fund", "Ward budgets", "Cyllidebau ward"));
    const values = parseMessageKey(message)!.values;
    expect(valuesFor(values, "cy")).toEqual({ fund: "Cyllidebau ward" });
    expect(valuesFor(values, "en")).toEqual({ fund: "Ward budgets" });
    expect(withWelsh("fund", "Ward budgets", "")).toEqual({ fund: "Ward budgets" });
  });

  it("translate a value written as =key before filling it in", () => {
    const seen: string[] = [];
    const translate = (key: string, values?: Record<string, string>) => {
      seen.push(key);
      return key === "bids:statusPhrase.draft" ? "a draft" : `${key} ${JSON.stringify(values)}`;
    };
    const message = messageKey("bids:transition.submit", { status: "=bids:statusPhrase.draft" });
    expect(renderMessage(message, "en", translate)).toBe('bids:transition.submit {"status":"a draft"}');
    expect(renderMessage("Plain words", "en", translate)).toBe("Plain words");
    expect(seen).toEqual(["bids:statusPhrase.draft", "bids:transition.submit"]);
  });
});
