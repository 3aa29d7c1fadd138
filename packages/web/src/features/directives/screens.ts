/** The directives screens, one chunk loaded by those screens only. */
export { DirectivesScreen } from './directives-screen';
export { DirectiveScreen } from './directive-screen';
