/**
 * Every cookie the service sets, for the cookies page. All are essential (no consent banner is
 * needed under PECR regulation 6(4)); a test checks this list against the names the code sets.
 */
export interface CookieFact {
  name: string;
  purpose: { en: string; cy: string };
  duration: { en: string; cy: string };
}

export const SERVICE_COOKIES: CookieFact[] = [
  {
    name: "wardfund_session",
    purpose: { en: "Keeps you signed in.", cy: "Yn eich cadw wedi mewngofnodi." },
    duration: {
      en: "Until you sign out, or 30 days after your last visit",
      cy: "Nes i chi allgofnodi, neu 30 diwrnod ar ôl eich ymweliad diwethaf",
    },
  },
  {
    name: "wardfund_vote_code",
    purpose: {
      en: "Carries a one-time voting code from the page where you enter it to the ballot, so the code never appears in a web address.",
      cy: "Yn cario cod pleidleisio untro o'r dudalen lle rydych yn ei roi i'r papur pleidleisio, fel nad yw'r cod byth yn ymddangos mewn cyfeiriad gwe.",
    },
    duration: { en: "30 minutes", cy: "30 munud" },
  },
  {
    name: "wardfund_lng",
    purpose: {
      en: "Remembers the language you chose (Cymraeg or English).",
      cy: "Yn cofio'r iaith a ddewisoch (Cymraeg neu English).",
    },
    duration: { en: "1 year", cy: "1 flwyddyn" },
  },
];
