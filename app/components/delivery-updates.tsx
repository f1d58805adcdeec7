/** A progress update's text and photos, and the public list of a project's published updates. */
import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/translate";

interface Photo {
  id: string;
  url: string;
  altText: string;
}

export function DeliveryUpdateBody({
  body,
  photos,
  photosLabel,
}: {
  body: string;
  photos: Photo[];
  photosLabel: string;
}) {
  return (
    <>
      <p className="whitespace-pre-line" translate="no">
        {body}
      </p>
      {photos.length ? (
        <ul className="flex flex-wrap gap-2" aria-label={photosLabel}>
          {photos.map((photo) => (
            <li key={photo.id}>
              <img src={photo.url} alt={photo.altText} loading="lazy" className="h-40 w-auto rounded border" />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export interface PublishedUpdate {
  id: number;
  body: string;
  postedAt: string;
  photos: Photo[];
}

/** The project page's "Progress updates": published updates only, newest first. */
export function PublicDeliveryUpdates({ updates }: { updates: PublishedUpdate[] }) {
  const { t } = useTranslation("delivery");
  const format = useFormat();
  if (updates.length === 0) return null;
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t("public.heading")}</h2>
      <p className="muted">{t("public.intro")}</p>
      <ol className="space-y-4">
        {updates.map((update) => (
          <li key={update.id} className="panel">
            <article aria-labelledby={`update-${update.id}`}>
              <h3 id={`update-${update.id}`} className="mt-0 text-base">
                {t("public.posted", { date: format.date(update.postedAt) })}
              </h3>
              <DeliveryUpdateBody
                body={update.body}
                photos={update.photos}
                photosLabel={t("public.photos", { date: format.date(update.postedAt) })}
              />
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** On the ward page: how many updates a funded project has published, linking to them. */
export function WardProjectProgress({
  bidId,
  count,
  latestPostedAt,
}: {
  bidId: number;
  count: number;
  latestPostedAt: string;
}) {
  const { t } = useTranslation("delivery");
  const format = useFormat();
  return (
    <p className="mt-2 mb-0">
      <a href={`/projects/${bidId}#progress-heading`}>
        {t("public.wardSummary", { count, date: format.date(latestPostedAt) })}
      </a>
    </p>
  );
}
