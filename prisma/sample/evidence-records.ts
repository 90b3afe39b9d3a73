// The published sample evidence: real studies and reports, cited as the source documents in
// ../shared/seeds/ cite them (authors, year, title, journal; a DOI only where a document gives
// one). Figures are quoted only as the documents state them; where they give none, the record
// says so. Strength grades are provisional curators' grades from the study design alone (the
// studies' results have not been appraised for this sample); each record's reason says so.
//
// Sources: the Culture, Health & Wellbeing Alliance's "Social Prescribing: facts and links"
// page (last updated March 2023); the HARP research briefing for Wales (January 2022); the
// Oxford knowledge exchange report (event of 23 June 2022); Davis E., the Scottish Ballet
// qualitative study (published online 3 January 2026) and its reference list.
import type { EvidenceStrength, OutcomeDirection, StudyType } from '../src/evidence';

export interface SampleOutcome {
  measured: string;
  measure: string;
  statement?: string;
  figure?: number;
  figureHigh?: number;
  unit?: string;
  direction: OutcomeDirection;
  comparison?: string;
}

export interface SampleEvidence {
  slug: string;
  title: string;
  summary: string;
  keyFinding: string;
  citation: string;
  url?: string;
  doi?: string;
  publisher?: string;
  publicationDate?: string;
  studyType: StudyType;
  strength: EvidenceStrength;
  strengthReason: string;
  population: { ageGroup?: string; setting?: string; region?: string };
  sampleSize?: number;
  sampleDescription?: string;
  limitations?: string;
  activityTypes: string[];
  conditions: string[];
  organizationSlugs: string[];
  activitySlugs: string[];
  outcomes: SampleOutcome[];
}

/** Art forms that "arts on prescription" covers in the directory's vocabulary. */
const ARTS_ON_PRESCRIPTION = ['visual-arts', 'crafts', 'music', 'singing', 'dance', 'theatre-film'];

const CHWA_PAGE = 'Culture, Health & Wellbeing Alliance. Social Prescribing: facts and links (web page, last updated March 2023)';

const NOT_APPRAISED = 'the results have not been appraised for this sample record.';

const NO_RESULTS_GIVEN = 'The source documents cite it without giving its results.';

export const SAMPLE_EVIDENCE: SampleEvidence[] = [
  {
    slug: 'arts-on-prescription-gloucestershire-evaluation',
    title: 'Arts on Prescription Gloucestershire: GP consultations and hospital admissions',
    summary:
      'Arts on Prescription Gloucestershire (Artlift) is a creative social prescribing programme. It has reported a 37% drop in GP consultation rates and a 27% reduction in hospital admissions. The briefing that quotes these figures does not give the number of people, the time period, a comparison group or how the figures were measured.',
    keyFinding: 'Arts on Prescription Gloucestershire reported a 37% drop in GP consultation rates and a 27% reduction in hospital admissions',
    citation: `${CHWA_PAGE}, quoting a press release from the All-Party Parliamentary Group for Arts, Health & Wellbeing on Arts on Prescription Gloucestershire (Artlift).`,
    publisher: 'Culture, Health & Wellbeing Alliance',
    studyType: 'SERVICE_EVALUATION',
    strength: 'VERY_LOW',
    strengthReason: `Provisional sample grade from the study design alone: a programme's own figures, reported second-hand with no sample size, comparison group or method; ${NOT_APPRAISED}`,
    population: { setting: 'Arts on prescription (creative social prescribing)', region: 'Gloucestershire, England' },
    sampleDescription: 'Not stated in the source.',
    limitations:
      'Reported second-hand (a briefing quoting a parliamentary group’s press release). No sample size, time period, comparison group or method is given, so the changes cannot be put down to the programme from this source.',
    activityTypes: [],
    conditions: [],
    organizationSlugs: ['arts-on-prescription-gloucestershire'],
    activitySlugs: ['aop-gloucestershire-course'],
    outcomes: [
      {
        measured: 'GP consultation rates',
        measure: 'GP consultation rates (how they were measured is not stated in the source)',
        statement: 'a 37% drop in GP consultation rates',
        figure: 37,
        unit: '%',
        direction: 'DECREASE',
      },
      {
        measured: 'Hospital admissions',
        measure: 'Hospital admissions (how they were counted is not stated in the source)',
        statement: 'a 27% reduction in hospital admissions',
        figure: 27,
        unit: '%',
        direction: 'DECREASE',
      },
    ],
  },
  {
    slug: 'arts-on-prescription-sroi',
    title: 'Social return on investment of arts on prescription: £4 to £11 for every £1',
    summary:
      'A social return on investment of between £4 and £11 has been calculated for every £1 invested in arts on prescription. The briefing that quotes it, next to the Gloucestershire figures, does not say who made the calculation, for which programmes, or how.',
    keyFinding: 'a social return of £4 to £11 has been calculated for every £1 invested in arts on prescription',
    citation: `${CHWA_PAGE}, quoting a press release from the All-Party Parliamentary Group for Arts, Health & Wellbeing.`,
    publisher: 'Culture, Health & Wellbeing Alliance',
    studyType: 'SOCIAL_RETURN_ON_INVESTMENT',
    strength: 'VERY_LOW',
    strengthReason: `Provisional sample grade from the study design alone: a calculation reported second-hand, without its method or assumptions; ${NOT_APPRAISED}`,
    population: { setting: 'Arts on prescription' },
    sampleDescription: 'Not stated in the source.',
    limitations:
      'Reported second-hand; the source does not say who made the calculation, for which programmes or art forms, or on what assumptions.',
    activityTypes: ARTS_ON_PRESCRIPTION,
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'Social value for every £1 invested',
        measure: 'Social return on investment calculation',
        statement: 'a social return on investment of between £4 and £11 has been calculated for every £1 invested in arts on prescription',
        figure: 4,
        figureHigh: 11,
        unit: '£ per £1 invested',
        direction: 'NOT_STATED',
      },
    ],
  },
  {
    slug: 'museums-on-prescription-review',
    title: 'Museums on Prescription: a systematic review of 86 social prescribing schemes',
    summary:
      'Museums on Prescription was an award-winning three-year research project (2014–17) led by Professor Helen Chatterjee. Its resources include a systematic review of 86 social prescribing schemes. The briefing that describes it gives none of the review’s findings.',
    keyFinding: 'a three-year project reviewed 86 social prescribing schemes; the source gives none of its findings',
    citation: `Museums on Prescription (2014–17), a research project led by Professor Helen Chatterjee, as described in: ${CHWA_PAGE}.`,
    studyType: 'SYSTEMATIC_REVIEW',
    strength: 'LOW',
    strengthReason: `Provisional sample grade from the study design alone: a systematic review known here only from a briefing that reports none of its findings; ${NOT_APPRAISED}`,
    population: { setting: 'Social prescribing schemes' },
    sampleSize: 86,
    sampleDescription: '86 social prescribing schemes.',
    limitations:
      'The source describes the project and its review but reports none of the findings. The Davis study cites a 2017 systematised review of social prescribing schemes by Chatterjee and colleagues (a separate record here); the source documents do not say whether it is the same review.',
    activityTypes: ['museum-based'],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [{ measured: 'Findings of the review', measure: 'Systematic review of 86 social prescribing schemes', direction: 'NOT_STATED' }],
  },
  {
    slug: 'bickerdike-2017',
    title: 'Social prescribing: less rhetoric and more reality. A systematic review of the evidence',
    summary:
      'A systematic review of the evidence on social prescribing. It concluded that “social prescribing is being widely advocated and implemented but current evidence fails to provide sufficient detail to judge either success or value for money”. The source documents give no figures from it.',
    keyFinding: 'the evidence was not detailed enough to judge whether social prescribing succeeds or gives value for money',
    citation:
      'Bickerdike L, Booth A, Wilson PM, Farley K, Wright K. Social prescribing: less rhetoric and more reality. A systematic review of the evidence. BMJ Open. 2017;7(4):e013384.',
    publisher: 'BMJ Open',
    publicationDate: '2017',
    studyType: 'SYSTEMATIC_REVIEW',
    strength: 'MODERATE',
    strengthReason: `Provisional sample grade from the study design alone: a systematic review in a peer-reviewed journal; ${NOT_APPRAISED}`,
    population: { setting: 'Social prescribing' },
    limitations: 'Known here from a 2022 Welsh research briefing that quotes its conclusion; the source documents give no details of the studies it reviewed.',
    activityTypes: [],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'Success and value for money of social prescribing',
        measure: 'Systematic review of the evidence',
        statement: 'current evidence fails to provide sufficient detail to judge either success or value for money',
        direction: 'INCONCLUSIVE',
      },
    ],
  },
  {
    slug: 'husk-2020-realist-review',
    title: 'What approaches to social prescribing work, for whom, and in what circumstances? A realist review',
    summary:
      'A realist review of which approaches to social prescribing work, for whom and in what circumstances. A Welsh research briefing cites it, together with Kellezi and others (2019), for social prescribing’s efficacy in reducing psychosocial problems stemming from social isolation in an estimated 20% of GP referrals. The briefing does not say which of the two gives the figure or how it was estimated.',
    keyFinding: 'cited, with a 2019 study, for reducing psychosocial problems from social isolation in an estimated 20% of GP referrals',
    citation:
      'Husk K, Blockley K, Lovell R, Bethel A, Lang I, Byng R, et al. What approaches to social prescribing work, for whom, and in what circumstances? A realist review. Health & Social Care in the Community. 2020;28(2):309–24.',
    publisher: 'Health & Social Care in the Community',
    publicationDate: '2020',
    studyType: 'SYSTEMATIC_REVIEW',
    strength: 'MODERATE',
    strengthReason: `Provisional sample grade from the study design alone: a realist review (a kind of systematic review) in a peer-reviewed journal; ${NOT_APPRAISED}`,
    population: { setting: 'Social prescribing' },
    limitations:
      'The 20% estimate is credited jointly to this review and to Kellezi and others (2019, BMJ Open); the briefing does not say which gives it or how it was estimated.',
    activityTypes: [],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'GP referrals involving psychosocial problems stemming from social isolation',
        measure: 'An estimate cited in a research briefing (method not stated)',
        statement: 'reducing psychosocial problems stemming from social isolation in an estimated 20% of GP referrals',
        figure: 20,
        unit: '% of GP referrals',
        direction: 'NOT_STATED',
      },
    ],
  },
  {
    slug: 'jensen-2024-arts-on-prescription-meta-analysis',
    title: 'The impact of arts on prescription on individual health and wellbeing: a systematic review with meta-analysis',
    summary:
      'A systematic review with meta-analysis of the impact of arts on prescription on individual health and wellbeing. The Davis study cites it as part of a growing evidence base on the benefits of arts engagement for patients. The source documents give none of its results.',
    keyFinding: 'pooled studies of arts on prescription’s impact on health and wellbeing; its results are not given in the source documents',
    citation:
      'Jensen A, Holt N, Honda S, Bungay H. The impact of arts on prescription on individual health and wellbeing: a systematic review with meta-analysis. Front Public Health. 2024.',
    doi: '10.3389/fpubh.2024.1412306',
    publisher: 'Front Public Health',
    publicationDate: '2024',
    studyType: 'META_ANALYSIS',
    strength: 'MODERATE',
    strengthReason: `Provisional sample grade from the study design alone: a systematic review with meta-analysis in a peer-reviewed journal; ${NOT_APPRAISED}`,
    population: { setting: 'Arts on prescription' },
    limitations: NO_RESULTS_GIVEN,
    activityTypes: ARTS_ON_PRESCRIPTION,
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [{ measured: 'Individual health and wellbeing', measure: 'Systematic review with meta-analysis', direction: 'NOT_STATED' }],
  },
  {
    slug: 'fong-yan-2024-dance-meta-analysis',
    title:
      'The effectiveness of dance interventions on psychological and cognitive health outcomes compared with other forms of physical activity: a systematic review with meta-analysis',
    summary:
      'A systematic review with meta-analysis of how dance affects psychological and cognitive health compared with other forms of physical activity. The Davis study cites it, with a Cochrane review of music for dementia, when it says that dance for Parkinson’s and music for dementia are particularly well established and well evidenced in arts and health. The source documents give none of its results.',
    keyFinding: 'compared dance with other physical activity for psychological and cognitive health; its results are not given in the source documents',
    citation:
      'Fong Yan A, Nicholson LL, Ward RE, Hiller CE, Dovey K, Parker HM, et al. The effectiveness of dance interventions on psychological and cognitive health outcomes compared with other forms of physical activity: a systematic review with meta-analysis. Sports Med. 2024;54(5):1179–205.',
    publisher: 'Sports Med',
    publicationDate: '2024',
    studyType: 'META_ANALYSIS',
    strength: 'MODERATE',
    strengthReason: `Provisional sample grade from the study design alone: a systematic review with meta-analysis in a peer-reviewed journal; ${NOT_APPRAISED}`,
    population: { setting: 'Dance interventions compared with other forms of physical activity' },
    limitations: `${NO_RESULTS_GIVEN} Its title names no particular condition.`,
    activityTypes: ['dance'],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'Psychological and cognitive health',
        measure: 'Systematic review with meta-analysis',
        direction: 'NOT_STATED',
        comparison: 'Other forms of physical activity',
      },
    ],
  },
  {
    slug: 'van-der-steen-2025-music-dementia',
    title: 'Music-based therapeutic interventions for people with dementia',
    summary:
      'A Cochrane systematic review of music-based therapeutic interventions for people with dementia. The Davis study cites it when it says that music for dementia is particularly well established and well evidenced in arts and health. The source documents give none of its results.',
    keyFinding: 'a Cochrane review of music-based therapy for people with dementia; its results are not given in the source documents',
    citation:
      'van der Steen JT, van der Wouden JC, Methley AM, Smaling HJA, Vink AC, Bruinsma MS. Music-based therapeutic interventions for people with dementia. Cochrane Database Syst Rev. 2025.',
    doi: '10.1002/14651858.CD003477.pub5',
    publisher: 'Cochrane Database Syst Rev',
    publicationDate: '2025',
    studyType: 'SYSTEMATIC_REVIEW',
    strength: 'MODERATE',
    strengthReason: `Provisional sample grade from the study design alone: a Cochrane systematic review; ${NOT_APPRAISED}`,
    population: { setting: 'Music-based therapeutic interventions' },
    limitations: `${NO_RESULTS_GIVEN} It is about music-based therapeutic interventions, which may differ from community music or singing groups.`,
    activityTypes: ['music'],
    conditions: ['dementia'],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [{ measured: 'Outcomes for people with dementia', measure: 'Cochrane systematic review', direction: 'NOT_STATED' }],
  },
  {
    slug: 'chatterjee-2017-systematised-review',
    title: 'Non-clinical community interventions: a systematised review of social prescribing schemes',
    summary:
      'A systematised review of social prescribing schemes. The Davis study cites it on arts on prescription as part of wider social prescribing. The source documents give none of its results.',
    keyFinding: 'a systematised review of social prescribing schemes; its results are not given in the source documents',
    citation: 'Chatterjee HJ, Camic PM, Lockyer B, Thomson LJM. Non-clinical community interventions: a systematised review of social prescribing schemes. Arts Health. 2017.',
    doi: '10.1080/17533015.2017.1334002',
    publisher: 'Arts Health',
    publicationDate: '2017',
    studyType: 'SYSTEMATIC_REVIEW',
    strength: 'LOW',
    strengthReason: `Provisional sample grade from the study design alone: a systematised (not fully systematic) review in a peer-reviewed journal; ${NOT_APPRAISED}`,
    population: { setting: 'Social prescribing schemes (non-clinical community interventions)' },
    limitations: NO_RESULTS_GIVEN,
    activityTypes: [],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [{ measured: 'Outcomes of social prescribing schemes', measure: 'Systematised review', direction: 'NOT_STATED' }],
  },
  {
    slug: 'davis-scottish-ballet-qualitative',
    title: 'Cross-sector perspectives on the role of a UK national cultural asset in social prescribing: a qualitative study',
    summary:
      'Interviews with 14 professionals from the health, third and cultural sectors in NHS Greater Glasgow and Clyde, NHS Tayside and NHS Orkney about Scottish Ballet’s dance programmes for people with Parkinson’s, dementia and multiple sclerosis. Professionals saw the programmes as credible and person-centred. Those who had attended a session felt confident to recommend it; information sessions alone were not enough. Positive patient feedback (more physical activity, self-management and social connection) kept them referring. Professional endorsement helped some people with reduced mobility take part, but cultural perceptions, cost and transport still limited access in remote and deprived areas. The study reports no outcome figures for participants.',
    keyFinding:
      'professionals saw Scottish Ballet’s dance for neurological conditions as credible, and trying a session first hand gave them confidence to refer',
    citation:
      'Davis E. Cross-sector perspectives on the role of a UK national cultural asset in social prescribing: a qualitative study. Published online 3 January 2026. Open access (CC BY 4.0).',
    doi: '10.1186/s12875-025-03156-7',
    publisher: 'Springer Nature',
    publicationDate: '2026-01-03',
    studyType: 'QUALITATIVE',
    strength: 'LOW',
    strengthReason: `Provisional sample grade from the study design alone: a small qualitative interview study of professionals’ views, not of participants’ outcomes; ${NOT_APPRAISED}`,
    population: {
      setting: 'Dance on prescription from NHS primary and secondary care and the third sector to Scottish Ballet’s dance health programmes',
      region: 'NHS Greater Glasgow and Clyde, NHS Tayside and NHS Orkney, Scotland',
    },
    sampleSize: 14,
    sampleDescription:
      '14 professionals (7 from the health sector, 5 from the third sector, 2 from Scottish Ballet), interviewed online between November 2024 and January 2025.',
    limitations:
      'Professionals close to Scottish Ballet’s approach were over-represented (Scottish Ballet helped with recruitment); the analysis was by a single researcher; findings may not transfer to smaller, local cultural providers. Commissioned and funded by Scottish Ballet as an independent evaluation. Participants’ own views and outcomes were not collected.',
    activityTypes: ['dance'],
    conditions: ['parkinsons', 'dementia', 'multiple-sclerosis'],
    organizationSlugs: ['scottish-ballet'],
    activitySlugs: [
      'sb-dance-for-parkinsons-glasgow',
      'sb-dance-for-parkinsons-online',
      'sb-dance-for-parkinsons-dundee',
      'sb-dance-for-parkinsons-orkney',
      'sb-time-to-dance-glasgow',
      'sb-elevate-glasgow',
    ],
    outcomes: [
      {
        measured: 'Professionals’ confidence to recommend the programmes',
        measure: 'Semi-structured interviews, reflexive thematic analysis',
        statement:
          'Health professionals with first-hand experience, having attended live regional dance sessions, described sufficient understanding of the logistics, experience, and benefits to recommend the provisions to patients.',
        direction: 'IMPROVEMENT',
        comparison: 'Second-hand awareness-raising, such as information sessions, which was reportedly insufficient',
      },
      {
        measured: 'Physical activity, self-management and social connection, as patients reported them to professionals',
        measure: 'Professionals’ accounts of patient feedback, in interviews',
        statement: 'positive feedback, specifically reports of improved physical activity, self-management, and social connection',
        direction: 'IMPROVEMENT',
      },
      {
        measured: 'Uptake by people with reduced mobility',
        measure: 'Semi-structured interviews, reflexive thematic analysis',
        statement:
          'Professional endorsement of dance provisions through prescribing processes enhanced uptake for some patients with reduced mobility; however, cultural perception, finance, and transport barriers still limited access for those in more remote and deprived areas.',
        direction: 'MIXED',
      },
    ],
  },
  {
    slug: 'harp-wales-briefing-2022',
    title: 'Arts and health projects and social prescribing in Wales (HARP research briefing)',
    summary:
      'Observations, interviews and questionnaires with 44 participants in 17 arts and health projects in Wales. Many organisations delivering creative work for particular groups were not engaged with formal social prescribing, or did not know how to be, although they were well known and widely used in their communities. Participants found link workers hard to reach, and were wary of collecting too much wellbeing data from the people they work with. No outcome figures are given.',
    keyFinding: 'many Welsh arts organisations doing social prescribing work are not connected to formal referral routes',
    citation:
      'Health, Arts, Research & People (HARP), a partnership of Arts Council of Wales, Nesta and Cardiff University (Y Lab). Research briefing on arts and health projects and social prescribing in Wales. Written January 2022.',
    publisher: 'Arts Council of Wales, Nesta and Cardiff University (HARP)',
    publicationDate: '2022-01',
    studyType: 'QUALITATIVE',
    strength: 'LOW',
    strengthReason: `Provisional sample grade from the study design alone: a qualitative study reported in a short briefing; ${NOT_APPRAISED}`,
    population: { setting: 'Arts and health projects in the HARP innovation programme', region: 'Wales' },
    sampleSize: 44,
    sampleDescription: '44 participants in 17 arts and health projects (seven completed, ten ongoing).',
    limitations: 'A short research briefing: it gives no figures and no results for individual projects.',
    activityTypes: [],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'Engagement of arts and health organisations with formal social prescribing',
        measure: 'Observations, interviews and questionnaires',
        statement:
          'many organisations delivering creative interventions tailored to specific service user groups which are not widely engaged and/or do not know how to engage with social prescribing structures',
        direction: 'NOT_STATED',
      },
    ],
  },
  {
    slug: 'oxford-knowledge-exchange-2022',
    title: 'Link workers and the cultural sector: a knowledge exchange event in Oxford',
    summary:
      'A one-day event in Oxford on 23 June 2022 brought link workers and cultural sector staff together and let them try creative activities. 48 people attended and 34 completed a questionnaire. Link workers said that trying activities made them easier to recommend. Average scores were 4.8 out of 5 for enjoying the day and 4.4 out of 5 for meeting the event’s aim. This is feedback on an event, not on outcomes for people referred to activities.',
    keyFinding: 'link workers found activities easier to recommend after trying them at a knowledge exchange event',
    citation:
      'Knowledge exchange project report: link workers and the cultural sector (applicants Tierney, Mahtani and Webster; CEBM and GLAM, with the Oxford Social Prescribing Research Network). Event held at the King’s Centre, Oxford, 23 June 2022.',
    publisher: 'Oxford Social Prescribing Research Network (OxSoP)',
    studyType: 'PARTICIPANT_TESTIMONY',
    strength: 'VERY_LOW',
    strengthReason: `Provisional sample grade from the study design alone: feedback from event attendees on the day; ${NOT_APPRAISED}`,
    population: { setting: 'A knowledge exchange event for link workers and cultural sector staff', region: 'Oxford, England' },
    sampleSize: 34,
    sampleDescription: '34 questionnaires from the 48 people who attended (link workers and cultural sector staff).',
    limitations: 'Feedback from the people who chose to answer, on the day; it says nothing about outcomes for people referred to activities.',
    activityTypes: [],
    conditions: [],
    organizationSlugs: [],
    activitySlugs: [],
    outcomes: [
      {
        measured: 'How easy activities are to recommend after trying them',
        measure: 'Free-text questionnaire comments',
        statement: '“Enjoyed sampling activities - much easier then to recommend to patients.” (Link worker)',
        direction: 'IMPROVEMENT',
      },
      {
        measured: 'Enjoyment of the day',
        measure: 'End-of-day questionnaire',
        statement: 'A high average score for enjoyment of the day (4.8 out of 5)',
        figure: 4.8,
        unit: 'out of 5 (average score)',
        direction: 'NOT_STATED',
      },
      {
        measured: 'Success at bringing link workers and cultural sector staff together',
        measure: 'End-of-day questionnaire',
        statement: 'the event being successful at meeting its key aim ... (4.4 out of 5)',
        figure: 4.4,
        unit: 'out of 5 (average score)',
        direction: 'NOT_STATED',
      },
    ],
  },
];
