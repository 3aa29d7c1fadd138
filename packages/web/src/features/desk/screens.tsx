import './desk.css';

/** The operator desks: one chunk, loaded by their screens only. */
export { CaseBoard } from './case-board';
export { CaseScreen } from './case-screen';
export { AlertDesk } from './alert-desk';
export { DataDesk } from './data-desk';
export { DossierList } from './dossier-list';
