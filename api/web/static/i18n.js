// The interface's words in French (the default) and English, and the
// formats of dates and numbers in each.

const fr = {
  docTitle: 'tacheron — recherche dans le corpus du digital labor',
  skip: 'Aller aux résultats',
  skipReader: 'Aller au document',
  description: 'Recherche plein texte bilingue dans un corpus sur le digital labor : billets, articles de presse, entretiens, séminaires et revues de presse.',
  toResults: 'Aller aux résultats',
  toReader: 'Aller au document',
  showResults: (n, shown) => n === 0 ? 'Voir les résultats (aucun)' : n === 1 ? 'Voir le résultat' : `Voir les ${shown} résultats`,
  facetNote: 'Les comptes d’une rubrique ignorent ce qui y est coché : ils disent ce que chaque choix ajouterait.',
  tagline: 'Un corpus sur le digital labor : billets, presse, séminaires, revues de presse',
  searchLabel: 'Rechercher dans le corpus',
  searchPlaceholder: 'Un mot, ex. micro-travail',
  searchButton: 'Rechercher',
  otherLang: 'English',
  otherLangCode: 'en',
  otherLangLabel: 'Switch the interface to English',
  suggestions: 'Suggestions',
  suggestionsCount: n => n === 1 ? '1 suggestion ; flèches haut et bas pour choisir.' : `${n} suggestions ; flèches haut et bas pour choisir.`,
  suggestionKind: { term: 'terme', concept: 'concept', title: 'document', source: 'source' },
  filters: 'Affiner',
  filtersToggle: 'Filtres',
  facet: { source: 'Sources', concept: 'Concepts', kind: 'Types de document', lang: 'Langues', author: 'Auteurs', tag: 'Étiquettes' },
  filterName: { source: 'Source', concept: 'Concept', kind: 'Type', lang: 'Langue', author: 'Auteur', tag: 'Étiquette' },
  byAuthors: 'Par',
  section: 'Rubrique',
  tagsOf: 'Étiquettes du document',
  showMore: n => `Afficher ${n} de plus`,
  showLess: 'Afficher moins',
  clearField: 'Effacer',
  noValues: 'Aucune valeur',
  timeline: 'Chronologie',
  allDates: 'Toutes les dates',
  span: (a, b) => a === b ? a : `${a} – ${b}`,
  from: 'Du',
  to: 'au',
  clearDates: 'Effacer les dates',
  timelineHelp: 'Cliquez sur une barre pour filtrer par période ; Maj+clic ou glisser pour étendre.',
  timelineKeys: 'Clavier : flèches, Entrée, Maj+flèches pour étendre, Échap pour effacer.',
  barLabel: (when, n) => `${when} : ${n} document${n > 1 ? 's' : ''}`,
  noDates: 'Aucune date pour ces résultats.',
  sortLabel: 'Trier par',
  sort: { relevance: 'pertinence', '-date': 'plus récents', date: 'plus anciens' },
  total: (n, q) => (n === 0 ? 'Aucun document' : n === 1 ? '1 document' : `${n} documents`) + (q ? ` pour «\u00a0${q}\u00a0»` : ''),
  took: ms => `en ${ms}\u00a0ms`,
  activeFilters: 'Filtres actifs',
  removeFilter: label => `Retirer le filtre ${label}`,
  dates: (a, b) => a && b ? `du ${a} au ${b}` : a ? `depuis le ${a}` : `jusqu’au ${b}`,
  datesName: 'Dates',
  clearAll: 'Tout effacer',
  label: (name, value) => `${name}\u00a0: ${value}`,
  pages: 'Pages de résultats',
  prev: 'Précédente',
  next: 'Suivante',
  pageN: n => `Page ${n}`,
  noPage: 'Cette page de résultats est vide.',
  firstPage: 'Revenir à la première page',
  loading: 'Recherche…',
  emptyTitle: q => q ? `Aucun document ne correspond à «\u00a0${q}\u00a0».` : 'Aucun document ne correspond à ces filtres.',
  emptyHelp: 'Quelques pistes :',
  dropFilter: label => `Retirer «\u00a0${label}\u00a0»`,
  withoutFilters: n => n === 1 ? 'Retirer tous les filtres (1 document)' : `Retirer tous les filtres (${n} documents)`,
  trySuggestion: 'Essayer :',
  wholeCorpus: 'Parcourir tout le corpus',
  conceptsOf: 'Concepts',
  moreConcepts: n => `+${n}`,
  back: 'Retour aux résultats',
  readerMatches: n => n === 0 ? 'Aucun passage marqué' : n === 1 ? '1 passage marqué' : `${n} passages marqués`,
  nextMatch: 'Passage suivant',
  matchAt: (i, n) => `Passage ${i} sur ${n}`,
  original: 'Lire sur le site d’origine',
  period: (a, b) => `Revue de presse du ${a} au ${b}`,
  mentions: n => `Articles cités (${n})`,
  parent: 'Cité dans la revue de presse',
  alsoIn: 'Aussi dans :',
  reprints: n => `Le même texte ailleurs (${n})`,
  mentionOnly: 'Cette mention est un lien dans une revue de presse : son texte n’est pas dans le corpus.',
  triggeredBy: words => `repéré par : ${words}`,
  origin: 'Provenance dans le corpus',
  errTitle: 'La recherche n’a pas abouti.',
  errNetwork: 'Le serveur ne répond pas. Vérifiez que tacheron tourne toujours et votre connexion, puis réessayez.',
  errParam: p => `Un réglage de la recherche n’est pas valide : ${p}.`,
  param: {
    q: 'le texte cherché', from: 'la date de début', to: 'la date de fin', sort: 'le tri', page: 'le numéro de page',
    source: 'le filtre des sources', concept: 'le filtre des concepts', kind: 'le filtre des types', lang: 'le filtre des langues',
  },
  errNotFound: 'Ce document n’est pas (ou plus) dans l’index.',
  errUnavailable: 'L’index est en cours de chargement ou le serveur est occupé. Réessayez dans un instant.',
  errTooLarge: 'La recherche est trop longue pour le serveur. Raccourcissez-la ou retirez des filtres.',
  errOther: status => `Le serveur a rencontré un problème (code ${status}).`,
  errDetails: 'Détails techniques',
  retry: 'Réessayer',
  removeParam: p => `Retirer ${p}`,
  reset: 'Nouvelle recherche',
  footer: 'tacheron — recherche plein texte bilingue. Les données restent sur ce serveur.',
  api: 'API et documentation',
  kind: {
    post: 'Billet', press: 'Presse', mention: 'Mention', 'press-review': 'Revue de presse',
    seminar: 'Séminaire', interview: 'Entretien', video: 'Vidéo',
  },
  lang: { fr: 'français', en: 'anglais' },
};

const en = {
  docTitle: 'tacheron — search the digital labor corpus',
  skip: 'Skip to results',
  skipReader: 'Skip to the document',
  description: 'Bilingual full-text search in a corpus on digital labor: blog posts, press articles, interviews, seminars and press reviews.',
  toResults: 'Jump to results',
  toReader: 'Jump to the document',
  showResults: (n, shown) => n === 0 ? 'Show results (none)' : n === 1 ? 'Show the result' : `Show ${shown} results`,
  facetNote: 'A list’s counts ignore what is ticked in it: they tell what each choice would add.',
  tagline: 'A corpus on digital labor: blog posts, press, seminars, press reviews',
  searchLabel: 'Search the corpus',
  searchPlaceholder: 'A word, e.g. microwork',
  searchButton: 'Search',
  otherLang: 'Français',
  otherLangCode: 'fr',
  otherLangLabel: 'Passer l’interface en français',
  suggestions: 'Suggestions',
  suggestionsCount: n => n === 1 ? '1 suggestion; up and down arrows to choose.' : `${n} suggestions; up and down arrows to choose.`,
  suggestionKind: { term: 'term', concept: 'concept', title: 'document', source: 'source' },
  filters: 'Refine',
  filtersToggle: 'Filters',
  facet: { source: 'Sources', concept: 'Concepts', kind: 'Document types', lang: 'Languages', author: 'Authors', tag: 'Tags' },
  filterName: { source: 'Source', concept: 'Concept', kind: 'Type', lang: 'Language', author: 'Author', tag: 'Tag' },
  byAuthors: 'By',
  section: 'Section',
  tagsOf: 'Tags of the document',
  showMore: n => `Show ${n} more`,
  showLess: 'Show fewer',
  clearField: 'Clear',
  noValues: 'No values',
  timeline: 'Timeline',
  allDates: 'All dates',
  span: (a, b) => a === b ? a : `${a} – ${b}`,
  from: 'From',
  to: 'to',
  clearDates: 'Clear dates',
  timelineHelp: 'Click a bar to filter by period; shift-click or drag to extend.',
  timelineKeys: 'Keyboard: arrows, Enter, Shift+arrows to extend, Escape to clear.',
  barLabel: (when, n) => `${when}: ${n} document${n === 1 ? '' : 's'}`,
  noDates: 'No dates for these results.',
  sortLabel: 'Sort by',
  sort: { relevance: 'relevance', '-date': 'newest', date: 'oldest' },
  total: (n, q) => (n === 0 ? 'No documents' : n === 1 ? '1 document' : `${n} documents`) + (q ? ` for “${q}”` : ''),
  took: ms => `in ${ms}\u00a0ms`,
  activeFilters: 'Active filters',
  removeFilter: label => `Remove the filter ${label}`,
  dates: (a, b) => a && b ? `from ${a} to ${b}` : a ? `since ${a}` : `until ${b}`,
  datesName: 'Dates',
  clearAll: 'Clear all',
  label: (name, value) => `${name}: ${value}`,
  pages: 'Result pages',
  prev: 'Previous',
  next: 'Next',
  pageN: n => `Page ${n}`,
  noPage: 'This page of results is empty.',
  firstPage: 'Go to the first page',
  loading: 'Searching…',
  emptyTitle: q => q ? `No document matches “${q}”.` : 'No document matches these filters.',
  emptyHelp: 'Some ways out:',
  dropFilter: label => `Remove “${label}”`,
  withoutFilters: n => n === 1 ? 'Remove every filter (1 document)' : `Remove every filter (${n} documents)`,
  trySuggestion: 'Try:',
  wholeCorpus: 'Browse the whole corpus',
  conceptsOf: 'Concepts',
  moreConcepts: n => `+${n}`,
  back: 'Back to the results',
  readerMatches: n => n === 0 ? 'No marked passage' : n === 1 ? '1 marked passage' : `${n} marked passages`,
  nextMatch: 'Next passage',
  matchAt: (i, n) => `Passage ${i} of ${n}`,
  original: 'Read on the original site',
  period: (a, b) => `Press review from ${a} to ${b}`,
  mentions: n => `Articles cited (${n})`,
  parent: 'Cited in the press review',
  alsoIn: 'Also in:',
  reprints: n => `The same text elsewhere (${n})`,
  mentionOnly: 'This mention is a link in a press review: its text is not in the corpus.',
  triggeredBy: words => `found through: ${words}`,
  origin: 'Where it comes from in the corpus',
  errTitle: 'The search did not go through.',
  errNetwork: 'The server does not answer. Check that tacheron is still running and your connection, then try again.',
  errParam: p => `A setting of the search is not valid: ${p}.`,
  param: {
    q: 'the text searched', from: 'the start date', to: 'the end date', sort: 'the sort order', page: 'the page number',
    source: 'the source filter', concept: 'the concept filter', kind: 'the type filter', lang: 'the language filter',
  },
  errNotFound: 'This document is not (or no longer) in the index.',
  errUnavailable: 'The index is loading or the server is busy. Try again in a moment.',
  errTooLarge: 'The search is too long for the server. Shorten it or remove filters.',
  errOther: status => `The server ran into a problem (code ${status}).`,
  errDetails: 'Technical details',
  retry: 'Try again',
  removeParam: p => `Remove ${p}`,
  reset: 'New search',
  footer: 'tacheron — bilingual full-text search. The data stays on this server.',
  api: 'API and documentation',
  kind: {
    post: 'Blog post', press: 'Press', mention: 'Mention', 'press-review': 'Press review',
    seminar: 'Seminar', interview: 'Interview', video: 'Video',
  },
  lang: { fr: 'French', en: 'English' },
};

const strings = { fr, en };

// langs are the languages of the interface, the default first.
export const langs = ['fr', 'en'];

// An I18n formats the interface's words, dates and numbers in one language.
export class I18n {
  constructor(lang) {
    this.lang = langs.includes(lang) ? lang : langs[0];
    this.s = strings[this.lang];
    const utc = { timeZone: 'UTC' };
    this.dayFmt = new Intl.DateTimeFormat(this.lang, { ...utc, day: 'numeric', month: 'long', year: 'numeric' });
    this.monthFmt = new Intl.DateTimeFormat(this.lang, { ...utc, month: 'long', year: 'numeric' });
    this.shortMonthFmt = new Intl.DateTimeFormat(this.lang, { ...utc, month: 'short' });
    this.numFmt = new Intl.NumberFormat(this.lang);
    this.msFmt = new Intl.NumberFormat(this.lang, { maximumFractionDigits: 1 });
  }

  // t returns the string of key, called with args when it is a function.
  t(key, ...args) {
    const v = this.s[key];
    return typeof v === 'function' ? v(...args) : v ?? key;
  }

  kind(k) { return this.s.kind[k] || k; }
  langName(l) { return this.s.lang[l] || l; }

  // day formats a YYYY-MM-DD date; anything else is returned as it is.
  day(d) {
    const t = utcTime(d);
    return Number.isNaN(t) ? d : this.dayFmt.format(t);
  }

  // month formats a YYYY-MM month ("mars 2017").
  month(m) { return this.monthFmt.format(utcTime(m + '-01')); }

  // shortMonth formats a YYYY-MM month without its year ("mars").
  shortMonth(m) { return this.shortMonthFmt.format(utcTime(m + '-01')); }

  num(n) { return this.numFmt.format(n); }
  ms(n) { return this.msFmt.format(n); }
}

function utcTime(d) {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(d + 'T00:00:00Z') : NaN;
}
