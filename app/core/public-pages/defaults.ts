/**
 * The default text of the pages every council must publish, in Markdown, in English and Welsh:
 * the accessibility statement (the layout of the GOV.UK model statement for the Public Sector
 * Bodies Accessibility Regulations 2018, with its known-issues list), the privacy notice and the
 * cookies page. Facts that can drift (retention periods, cookies) are filled in from the code's
 * own settings, so the notice always says what the retention jobs do. Administrators can replace
 * a page's text at /admin/pages.
 */
import { SERVICE_COOKIES } from "./cookies";

export interface PublicPageFacts {
  councilName: string;
  retention: { sessionDays: number; signInFailureDays: number; tokenDays: number; mailBodyDays: number };
  /** The day the default statement was prepared (ISO date), shown in its last section. */
  preparedOn: string;
}

type Lang = "en" | "cy";
type Slug = "accessibility" | "privacy" | "cookies";

function days(n: number, lang: Lang): string {
  if (n === 0) return lang === "cy" ? "heb derfyn (mae'r rheol wedi'i diffodd)" : "no limit (the rule is switched off)";
  return lang === "cy" ? `${n} diwrnod` : `${n} ${n === 1 ? "day" : "days"}`;
}

function accessibility(f: PublicPageFacts, lang: Lang): string {
  if (lang === "cy")
    return `# Datganiad hygyrchedd ar gyfer Wardfund

Mae'r datganiad hygyrchedd hwn yn berthnasol i wasanaeth Wardfund ${f.councilName}.

Mae'r gwefan hon yn cael ei rhedeg gan ${f.councilName}. Rydym am i gynifer o bobl â phosibl allu ei defnyddio. Er enghraifft, dylech allu:

- newid lliwiau, lefelau cyferbynnedd a ffontiau gan ddefnyddio gosodiadau eich porwr neu'ch dyfais
- chwyddo hyd at 400% heb i'r testun lithro oddi ar y sgrin
- llywio'r rhan fwyaf o'r wefan gan ddefnyddio bysellfwrdd neu feddalwedd adnabod llais yn unig
- defnyddio'r rhan fwyaf o'r wefan heb JavaScript
- gwrando ar y rhan fwyaf o'r wefan gan ddefnyddio darllenydd sgrin
- defnyddio'r gwasanaeth yn Gymraeg neu yn Saesneg

## Pa mor hygyrch yw'r wefan hon

Rydym yn gwybod nad yw rhai rhannau o'r wefan hon yn gwbl hygyrch:

- nid yw pob tudalen ar gael yn Gymraeg eto; mae'r tudalennau sy'n weddill yn dangos testun Saesneg
- gall cynnwys y mae'r cyngor neu grwpiau cymunedol yn ei ysgrifennu fod mewn un iaith yn unig; mae wedi'i farcio "(English only)" neu "(Cymraeg yn unig)"
- efallai na fydd gan luniau prosiectau a lwythwyd i fyny gan grwpiau ddisgrifiad testun
- nid oes disgrifiad hygyrch o golofnau'r ffeiliau CSV y gellir eu llwytho i lawr

## Adborth a gwybodaeth gyswllt

Os oes angen gwybodaeth ar y wefan hon arnoch mewn fformat gwahanol, fel PDF hygyrch, print bras, hawdd ei ddarllen, recordiad sain neu braille, cysylltwch â ${f.councilName}. Byddwn yn ystyried eich cais ac yn ymateb o fewn 10 diwrnod gwaith.

## Rhoi gwybod am broblemau hygyrchedd gyda'r wefan hon

Rydym bob amser yn ceisio gwella hygyrchedd y wefan hon. Os byddwch yn dod o hyd i unrhyw broblemau nad ydynt wedi'u rhestru ar y dudalen hon neu os ydych yn credu nad ydym yn bodloni gofynion hygyrchedd, cysylltwch â ${f.councilName}.

## Gweithdrefn orfodi

Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy'n gyfrifol am orfodi Rheoliadau Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau ac Apiau Symudol) (Rhif 2) 2018 (y "rheoliadau hygyrchedd"). Os nad ydych yn fodlon â'r ffordd rydym yn ymateb i'ch cwyn, cysylltwch â'r Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS).

## Gwybodaeth dechnegol am hygyrchedd y wefan hon

Mae ${f.councilName} wedi ymrwymo i wneud ei gwefan yn hygyrch, yn unol â Rheoliadau Hygyrchedd Cyrff y Sector Cyhoeddus (Gwefannau ac Apiau Symudol) (Rhif 2) 2018.

### Statws cydymffurfio

Mae'r wefan hon yn cydymffurfio'n rhannol â safon AA Canllawiau Hygyrchedd Cynnwys y We fersiwn 2.2, oherwydd y diffyg cydymffurfio a restrir isod.

### Cynnwys nad yw'n hygyrch

Nid yw'r cynnwys a restrir isod yn hygyrch am y rhesymau canlynol.

#### Diffyg cydymffurfio â'r rheoliadau hygyrchedd

- Efallai na fydd gan rai lluniau prosiectau destun amgen, felly ni all pobl sy'n defnyddio darllenydd sgrin gael y wybodaeth ynddynt. Mae hyn yn methu maen prawf llwyddiant 1.1.1 WCAG 2.2 (Cynnwys nad yw'n destun).
- Mae rhai tudalennau'n dangos testun Saesneg heb ei farcio fel Saesneg pan fydd y gwasanaeth yn Gymraeg. Mae hyn yn methu maen prawf llwyddiant 3.1.2 WCAG 2.2 (Iaith rhannau).

### Baich anghymesur

Nid ydym yn hawlio baich anghymesur ar hyn o bryd.

### Cynnwys nad yw o fewn cwmpas y rheoliadau hygyrchedd

Nid yw'r rheoliadau'n ei gwneud yn ofynnol i ni drwsio ffeiliau a gyhoeddwyd cyn 23 Medi 2018 os nad oes eu hangen er mwyn defnyddio ein gwasanaethau.

## Beth rydym yn ei wneud i wella hygyrchedd

Rydym yn cyfieithu'r tudalennau sy'n weddill i'r Gymraeg ac yn gofyn i grwpiau ddisgrifio pob llun y maent yn ei lwytho i fyny.

## Paratoi'r datganiad hygyrchedd hwn

Paratowyd y datganiad hwn ar ${f.preparedOn}. Cafodd y wefan ei phrofi gan ddatblygwyr y gwasanaeth gydag offer awtomataidd axe, gyda bysellfwrdd yn unig, a heb JavaScript, yn Gymraeg ac yn Saesneg.
`;
  return `# Accessibility statement for Wardfund

This accessibility statement applies to ${f.councilName}'s Wardfund service.

This website is run by ${f.councilName}. We want as many people as possible to be able to use it. For example, that means you should be able to:

- change colours, contrast levels and fonts using your browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate most of the website using just a keyboard or speech recognition software
- use most of the website without JavaScript
- listen to most of the website using a screen reader
- use the service in Welsh or in English

## How accessible this website is

We know some parts of this website are not fully accessible:

- not every page is available in Welsh yet; the remaining pages show English text
- content the council or community groups write may be in one language only; it is marked "(English only)" or "(Cymraeg yn unig)"
- project photos uploaded by groups may have no text description
- the columns of downloadable CSV files have no accessible description

## Feedback and contact information

If you need information on this website in a different format, like accessible PDF, large print, easy read, audio recording or braille, contact ${f.councilName}. We'll consider your request and get back to you within 10 working days.

## Reporting accessibility problems with this website

We're always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we're not meeting accessibility requirements, contact ${f.councilName}.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you're not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).

## Technical information about this website's accessibility

${f.councilName} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.

### Compliance status

This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.

### Non-accessible content

The content listed below is non-accessible for the following reasons.

#### Non-compliance with the accessibility regulations

- Some project photos may have no text alternative, so people using a screen reader cannot get the information in them. This fails WCAG 2.2 success criterion 1.1.1 (Non-text content).
- Some pages show English text not marked as English when the service is in Welsh. This fails WCAG 2.2 success criterion 3.1.2 (Language of parts).

### Disproportionate burden

We are not claiming disproportionate burden at this time.

### Content that's not within the scope of the accessibility regulations

The regulations do not require us to fix files published before 23 September 2018 if they're not essential to providing our services.

## What we're doing to improve accessibility

We are translating the remaining pages into Welsh and asking groups to describe every photo they upload.

## Preparation of this accessibility statement

This statement was prepared on ${f.preparedOn}. The website was tested by the service's developers with the axe automated tools, by keyboard alone and without JavaScript, in Welsh and in English.
`;
}

function privacy(f: PublicPageFacts, lang: Lang): string {
  const r = f.retention;
  if (lang === "cy")
    return `# Hysbysiad preifatrwydd

${f.councilName} yw'r rheolydd data ar gyfer y wybodaeth bersonol y mae Wardfund yn ei chadw. Mae'r hysbysiad hwn yn dweud beth rydym yn ei gasglu, pam, am ba hyd rydym yn ei gadw a beth yw eich hawliau.

## Beth rydym yn ei gasglu a pham

- **Eich cyfrif**: eich enw, eich cyfeiriad e-bost a stwnsh o'ch cyfrinair (nid y cyfrinair ei hun), er mwyn i chi allu mewngofnodi a chael negeseuon am eich ceisiadau a'ch pleidleisiau.
- **Eich cod post**: i ddod o hyd i'ch ward, fel y gallwn ddangos y cyllidebau a'r rowndiau sy'n berthnasol i chi a gwirio eich bod yn gymwys i bleidleisio.
- **Eich dyddiad geni**: i wirio eich bod wedi cyrraedd isafswm oed pleidleisio rownd.
- **Cofnod eich bod wedi pleidleisio**: mewn rownd cyllidebu cyfranogol rydym yn cofnodi eich bod wedi pleidleisio, fel na all neb bleidleisio ddwywaith. Mae eich pleidlais ei hun yn ddienw: nid oes dim yn ei chysylltu â chi.
- **Ceisiadau ac aelodaeth grwpiau**: y grwpiau cymunedol rydych yn aelod ohonynt a'r ceisiadau rydych yn eu hysgrifennu neu'n eu cyflwyno.
- **Y trywydd archwilio**: cofnod o bwy wnaeth beth a phryd, y mae'n rhaid i'r cyngor ei gadw i ddangos bod arian cyhoeddus wedi'i wario'n briodol.
- **Negeseuon e-bost** rydym yn eu hanfon atoch.

## Atebion cydraddoldeb (data categori arbennig)

Ar ôl pleidleisio, gallwch ateb cwestiynau cydraddoldeb dewisol (er enghraifft am eich grŵp ethnig neu anabledd). Mae'r rhain yn ddata categori arbennig. Mae ateb yn wirfoddol, ac mae "Mae'n well gennyf beidio â dweud" bob amser yn ddewis. Caiff yr atebion eu cadw heb unrhyw gysylltiad â chi, â'ch cyfrif nac â'ch pleidlais, a dim ond fel cyfansymiau y cânt eu cyhoeddi.

## Ein sail gyfreithlon

- Tasg gyhoeddus (erthygl 6(1)(e) GDPR y DU): rhedeg cynlluniau grant a chyllidebu cyfranogol y cyngor.
- Rhwymedigaeth gyfreithiol (erthygl 6(1)(c)): cadw cofnodion ariannol ac archwilio.
- Ar gyfer atebion cydraddoldeb: budd cyhoeddus sylweddol (erthygl 9(2)(g)), sef monitro cyfle cyfartal o dan Atodlen 1, paragraff 8 Deddf Diogelu Data 2018.

## Am ba hyd rydym yn cadw eich gwybodaeth

- Sesiynau mewngofnodi: ${days(r.sessionDays, lang)} ar ôl iddynt ddod i ben.
- Ymdrechion aflwyddiannus i fewngofnodi: ${days(r.signInFailureDays, lang)}.
- Dolenni ailosod cyfrinair a gwahoddiadau: ${days(r.tokenDays, lang)} ar ôl eu defnyddio neu ar ôl iddynt ddod i ben.
- Testun negeseuon e-bost: ${days(r.mailBodyDays, lang)} ar ôl eu hanfon; mae'r derbynnydd, y pwnc a'r dyddiad yn aros.
- Eich cyfrif, eich cod post a'ch dyddiad geni: nes i chi gau eich cyfrif.
- Cofnodion grantiau, y cyfriflyfr a'r trywydd archwilio: cânt eu cadw fel cofnodion ariannol y cyngor. Pan fyddwch yn cau eich cyfrif, caiff eich enw ei dynnu o'r trywydd archwilio a'i ddisodli gan ddynodydd ffugenwol.

## Eich hawliau

- Cael copi o'ch gwybodaeth: llwythwch hi i lawr o'ch cyfrif (Fy nghyfrif → Eich data).
- Cywiro gwybodaeth anghywir: cysylltwch â'r cyngor.
- Dileu eich gwybodaeth: caewch eich cyfrif o'ch cyfrif (Fy nghyfrif → Cau eich cyfrif).
- Gwrthwynebu neu gyfyngu ar y defnydd o'ch gwybodaeth: cysylltwch â'r cyngor.

## Cysylltu

Cysylltwch â swyddog diogelu data ${f.councilName} am unrhyw gwestiwn am eich gwybodaeth. Os nad ydych yn fodlon, gallwch gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ICO), ico.org.uk, 0303 123 1113.
`;
  return `# Privacy notice

${f.councilName} is the data controller for the personal information Wardfund holds. This notice says what we collect, why, how long we keep it and what your rights are.

## What we collect and why

- **Your account**: your name, your email address and a hash of your password (never the password itself), so you can sign in and get messages about your bids and votes.
- **Your postcode**: to find your ward, so we can show the budgets and rounds that apply to you and check you may vote.
- **Your date of birth**: to check you have reached a round's minimum voting age.
- **A record that you voted**: in a participatory budgeting round we record that you voted, so nobody can vote twice. Your ballot itself is anonymous: nothing links it to you.
- **Bids and group memberships**: the community groups you belong to and the bids you write or submit.
- **The audit trail**: a record of who did what and when, which the council must keep to show public money was spent properly.
- **Emails** we send you.

## Equality answers (special category data)

After voting you may answer optional equality questions (for example about your ethnic group or disability). These are special category data. Answering is voluntary, and "Prefer not to say" is always a choice. The answers are stored with no link to you, your account or your ballot, and are published only as totals.

## Our lawful basis

- Public task (UK GDPR article 6(1)(e)): running the council's grant and participatory budgeting schemes.
- Legal obligation (article 6(1)(c)): keeping financial and audit records.
- For equality answers: substantial public interest (article 9(2)(g)), namely equality of opportunity monitoring under Schedule 1, paragraph 8 of the Data Protection Act 2018.

## How long we keep your information

- Sign-in sessions: ${days(r.sessionDays, lang)} after they expire.
- Failed sign-in attempts: ${days(r.signInFailureDays, lang)}.
- Password reset and invitation links: ${days(r.tokenDays, lang)} after they are used or expire.
- The text of emails: ${days(r.mailBodyDays, lang)} after they are sent; the recipient, subject and date stay.
- Your account, postcode and date of birth: until you close your account.
- Grant records, the ledger and the audit trail: kept as the council's financial records. When you close your account, your name is removed from the audit trail and replaced by a pseudonymous identifier.

## Your rights

- Get a copy of your information: download it from your account (My account → Your data).
- Correct wrong information: contact the council.
- Erase your information: close your account from your account (My account → Close your account).
- Object to or restrict the use of your information: contact the council.

## Contact

Contact ${f.councilName}'s data protection officer with any question about your information. If you are not satisfied, you can complain to the Information Commissioner's Office (ICO), ico.org.uk, 0303 123 1113.
`;
}

function cookies(lang: Lang): string {
  const [purpose, expires] = lang === "cy" ? ["Diben", "Yn dod i ben ar ôl"] : ["Purpose", "Expires after"];
  const rows = SERVICE_COOKIES.map(
    (c) => `### ${c.name}\n\n- ${purpose}: ${c.purpose[lang]}\n- ${expires}: ${c.duration[lang]}\n`,
  ).join("\n");
  if (lang === "cy")
    return `# Cwcis

Ffeiliau bach y mae'r wefan hon yn eu cadw ar eich dyfais yw cwcis. Dim ond cwcis hanfodol y mae Wardfund yn eu defnyddio: mae eu hangen i'r gwasanaeth weithio, felly nid ydym yn gofyn am eich caniatâd. Nid ydym yn defnyddio cwcis dadansoddi na hysbysebu.

## Y cwcis rydym yn eu defnyddio

${rows}
`;
  return `# Cookies

Cookies are small files this website saves on your device. Wardfund uses essential cookies only: the service needs them to work, so we do not ask for your consent. We do not use analytics or advertising cookies.

## The cookies we use

${rows}
`;
}

export function defaultPublicPage(slug: Slug, lang: Lang, facts: PublicPageFacts): string {
  if (slug === "accessibility") return accessibility(facts, lang);
  if (slug === "privacy") return privacy(facts, lang);
  return cookies(lang);
}
