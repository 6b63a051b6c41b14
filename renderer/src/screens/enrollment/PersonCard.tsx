// One person of a supervisor decision: photo, names in both scripts, date of birth, national number, who captured
// the record and when. Used side by side on the adjudication screen and as the head of the approval case file.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../../main/contract/ipc';
import { formatDateTime } from '../../format';
import { formatIsoDate } from './messages';
import { Base64Image } from './useBlobUrl';

export interface PersonFacts {
  photoBase64: string | null;
  nameAr: string | null;
  nameLatin: string | null;
  dateOfBirth: string | null;
  nationalNumber: string | null;
  capturedBy: string | null;
  enrolledAt: string | null;
}

export function PersonCard({ title, person, locale, testId, children }: { title: string; person: PersonFacts; locale: Locale; testId: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const none = t('supervisor.person.none');
  const row = (key: string, value: string | null, ltr = false) => (
    <div className="review-row">
      <dt>{t(`supervisor.person.${key}`)}</dt>
      <dd data-testid={`${testId}-${key}`} dir={ltr && value ? 'ltr' : undefined}>
        {value ?? none}
      </dd>
    </div>
  );
  return (
    <figure className="person-card" data-testid={testId}>
      <figcaption className="person-title">{title}</figcaption>
      {person.photoBase64 ? (
        <Base64Image base64={person.photoBase64} type="image/jpeg" alt={title} className="person-photo" data-testid={`${testId}-photo`} />
      ) : (
        <div className="no-photo person-photo" data-testid={`${testId}-no-photo`}>
          {t('enrollment.dedup.noPhoto')}
        </div>
      )}
      <dl className="review-list">
        {row('nameAr', person.nameAr)}
        {row('nameLatin', person.nameLatin, true)}
        {row('dateOfBirth', person.dateOfBirth ? formatIsoDate(person.dateOfBirth, locale) : null)}
        {row('nationalNumber', person.nationalNumber, true)}
        {row('capturedBy', person.capturedBy, true)}
        {row('enrolledAt', person.enrolledAt ? formatDateTime(person.enrolledAt, locale) : null)}
      </dl>
      {children}
    </figure>
  );
}

/** The enrollment being decided, as a PersonCard. */
export function personOfView(v: { demographics: { values: Record<string, string> }; face: { imageBase64: string | null } | null; operatorId: string; createdAt: string }): PersonFacts {
  const d = v.demographics.values;
  const join = (a?: string, b?: string) => [a, b].filter(Boolean).join(' ') || null;
  return {
    photoBase64: v.face?.imageBase64 ?? null,
    nameAr: join(d.givenNameAr, d.familyNameAr),
    nameLatin: join(d.givenNameLatin, d.familyNameLatin),
    dateOfBirth: d.dateOfBirth ?? null,
    nationalNumber: d.nationalNumber ?? null,
    capturedBy: v.operatorId,
    enrolledAt: v.createdAt,
  };
}
