/** The outbound guard: every request or connection the server makes to another machine goes through it. */
export * from './guard';
export * from './fetch';
