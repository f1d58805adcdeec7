/**
 * The pages every council must publish (/accessibility, /privacy, /cookies): an administrator's
 * text for the page and language when there is one, otherwise the default. Saving is audited.
 */
import { and, eq } from "drizzle-orm";
import type { Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { defaultPublicPage } from "~/core/public-pages/defaults";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { publicPages, type PublicPageSlug } from "~/db/schema";
import type { Language } from "~/i18n";
import { recordAudit, type Actor } from "~/models/audit.server";
import { getCouncilSettings } from "~/models/council.server";
import { env } from "~/utils/env.server";

/** The day the default texts were last reviewed against the service. */
export const DEFAULTS_PREPARED_ON = "2026-12-03";

export interface PublicPage {
  slug: PublicPageSlug;
  language: Language;
  markdown: string;
  isDefault: boolean;
  updatedAt: string | null;
}

export function defaultPageText(slug: PublicPageSlug, language: Language, database: Db = db()): string {
  const settings = env();
  return defaultPublicPage(slug, language, {
    councilName: getCouncilSettings(database)?.name ?? "the council",
    preparedOn: DEFAULTS_PREPARED_ON,
    retention: {
      sessionDays: settings.RESIDENT_SESSION_DAYS,
      signInFailureDays: settings.RETENTION_SIGN_IN_FAILURE_DAYS,
      tokenDays: settings.RETENTION_TOKEN_DAYS,
      mailBodyDays: settings.RETENTION_MAIL_BODY_DAYS,
    },
  });
}

export function getPublicPage(slug: PublicPageSlug, language: Language, database: Db = db()): PublicPage {
  const row = database
    .select()
    .from(publicPages)
    .where(and(eq(publicPages.slug, slug), eq(publicPages.language, language)))
    .get();
  if (row) return { slug, language, markdown: row.body, isDefault: false, updatedAt: row.updatedAt };
  return { slug, language, markdown: defaultPageText(slug, language, database), isDefault: true, updatedAt: null };
}

/** Saves an administrator's text; an empty text goes back to the default. */
export function savePublicPage(actor: Actor, slug: PublicPageSlug, language: Language, body: string, database?: Db) {
  writeTransaction((tx) => {
    const before = tx
      .select({ body: publicPages.body })
      .from(publicPages)
      .where(and(eq(publicPages.slug, slug), eq(publicPages.language, language)))
      .get();
    tx.delete(publicPages)
      .where(and(eq(publicPages.slug, slug), eq(publicPages.language, language)))
      .run();
    if (body.trim() !== "") tx.insert(publicPages).values({ slug, language, body, updatedBy: actor.id }).run();
    recordAudit(tx, {
      actor,
      action: body.trim() === "" ? "public-page.reset" : "public-page.saved",
      entityType: "public-page",
      entityId: `${slug}:${language}`,
      before: before ? { length: before.body.length } : { default: true },
      after: body.trim() === "" ? { default: true } : { length: body.length },
    });
  }, database);
}

/** A JSON-safe Markdown tree (positions dropped) for the page component to render as React elements. */
export function markdownTree(markdown: string): Root {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === "object") {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) if (k !== "position") copy[k] = strip(v);
      return copy;
    }
    return node;
  };
  return strip(fromMarkdown(markdown)) as Root;
}
