import { catalogueApi } from '@watchfloor/core';

/** The catalogue's request and file shapes live in its contract in core (contracts/catalogue.ts); re-exported here for the service and the routes of other features. */
export const { documentedAs, CATALOGUE_FORMAT, CATALOGUE_VERSION, definitionBodySchema, catalogueFileSchema, catalogueImportSchema, definitionIssueSchema } = catalogueApi;
export type CatalogueFile = catalogueApi.CatalogueFile;
export type DefinitionIssue = catalogueApi.DefinitionIssue;
