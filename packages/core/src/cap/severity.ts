import type { AlertSeverity } from '../alerts/rules';
import type { CapAlert, CapInfo, CapSeverity, CapUrgency } from './schema';

/** Our alert severities (those of alert rules: info < warning < critical). */
export type CapMappedSeverity = AlertSeverity;

const ORDER: Record<CapMappedSeverity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * The severity of one CAP info block on our scale. Severity says how bad
 * the event is; urgency says whether action is needed now: an Extreme
 * event is critical, a Severe one is critical only when it is imminent
 * (Immediate, Expected) and a warning otherwise, Moderate is a warning,
 * Minor and Unknown are information. A Past event needs no response, so it
 * is information whatever its severity.
 */
export function capSeverityToAlert(severity: CapSeverity, urgency: CapUrgency): CapMappedSeverity {
  if (urgency === 'Past') return 'info';
  switch (severity) {
    case 'Extreme':
      return 'critical';
    case 'Severe':
      return urgency === 'Immediate' || urgency === 'Expected' ? 'critical' : 'warning';
    case 'Moderate':
      return 'warning';
    case 'Minor':
    case 'Unknown':
      return 'info';
  }
}

/** The severity of a whole message: its most severe info block (information when it has none). */
export function capAlertSeverity(alert: Pick<CapAlert, 'info'>): CapMappedSeverity {
  let out: CapMappedSeverity = 'info';
  for (const info of alert.info) {
    const s = capSeverityToAlert(info.severity, info.urgency);
    if (ORDER[s] > ORDER[out]) out = s;
  }
  return out;
}

/** The reverse, for publishing our own alerts: the CAP severity and urgency that map back to the same severity. */
export function alertSeverityToCap(severity: CapMappedSeverity): Pick<CapInfo, 'severity' | 'urgency'> {
  switch (severity) {
    case 'critical':
      return { severity: 'Extreme', urgency: 'Immediate' };
    case 'warning':
      return { severity: 'Moderate', urgency: 'Expected' };
    case 'info':
      return { severity: 'Minor', urgency: 'Future' };
  }
}

/** The info block for a language, else the first one whose language starts with the same tag, else the first. */
export function capInfoFor(alert: Pick<CapAlert, 'info'>, language: string): CapInfo | undefined {
  const tag = language.toLowerCase();
  return (
    alert.info.find((i) => i.language.toLowerCase() === tag) ??
    alert.info.find((i) => i.language.toLowerCase().split('-')[0] === tag.split('-')[0]) ??
    alert.info[0]
  );
}
