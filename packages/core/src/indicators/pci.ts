import type { CompositeSpec } from './composite';

/**
 * The Provincial Competitiveness Index (PCI, VCCI/USAID): ten sub-indices
 * scored 0..10, combined into a weighted PCI on 0..100.
 *
 * The 2016 weights below were not copied from a publication: they were
 * derived by least squares from the 63 provinces' 2016 rows of
 * data/indices/pci_vietnam_2005_2016_by_province.csv (10 sub-indices against
 * the published weighted PCI; rank 10, no intercept needed: fitting one gives
 * −0.0003). The fit gave 0.5, 0.5, 2.0, 0.4999, 1.0, 0.5, 0.5, 2.0, 2.0, 0.5
 * per sub-index point, i.e. 5/5/20/5/10/5/5/20/20/5 %, whole percentages
 * summing to 100. With those rounded weights every 2016 province's PCI is
 * reproduced within 0.0003 (RMS 0.0001) of the published 4-decimal value,
 * which pci.test.ts checks on the file itself. The same weights fit
 * 2013–2015 equally well.
 */
export const PCI_SUB_INDICES = [
  'PCI_ENTRY',
  'PCI_LAND',
  'PCI_TRANSPARENCY',
  'PCI_TIME',
  'PCI_INFORMAL',
  'PCI_BIAS',
  'PCI_PROACTIVE',
  'PCI_SUPPORT',
  'PCI_LABOR',
  'PCI_LEGAL',
] as const;
export type PciSubIndex = (typeof PCI_SUB_INDICES)[number];

/** PCI 2016 weights, in percent: entry costs, land access, transparency, time costs, informal charges, policy bias, proactivity, business support, labour training, legal institutions. */
export const PCI_2016_WEIGHTS: Readonly<Record<PciSubIndex, number>> = {
  PCI_ENTRY: 5,
  PCI_LAND: 5,
  PCI_TRANSPARENCY: 20,
  PCI_TIME: 5,
  PCI_INFORMAL: 10,
  PCI_BIAS: 5,
  PCI_PROACTIVE: 5,
  PCI_SUPPORT: 20,
  PCI_LABOR: 20,
  PCI_LEGAL: 5,
};

/** The weighted PCI 2016 as a composite: sub-indices 0..10 normalised onto 0..100, no score if one is missing. */
export const PCI_2016: CompositeSpec = {
  scale: 100,
  missingComponents: 'null',
  components: PCI_SUB_INDICES.map((code) => ({ code, weight: PCI_2016_WEIGHTS[code], normalise: { min: 0, max: 10 } })),
};
