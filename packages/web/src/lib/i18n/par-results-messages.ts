/**
 * The PAR Index results' words (the ranking, the map, the wall panel),
 * merged into the message tables of messages.ts. Vietnamese is complete;
 * every key has its English too.
 */
export const parResultsVi = {
  'nav.par': 'Chỉ số CCHC',
} as const;

export const parResultsEn: Record<keyof typeof parResultsVi, string> = {
  'nav.par': 'PAR Index',
};
