import { z } from 'zod';
import { localisedSchema } from '@watchfloor/core';
import { DatasetsRepository, type Store } from '@watchfloor/db';

/**
 * What a loaded data set may declare of the figures it filed: that they are
 * synthetic, under which source, and the notice every screen shows while
 * they are there. The demo data set declares it; nothing in the product
 * asks whether the demo is loaded, only what the data here says of itself.
 */
export const syntheticDeclarationSchema = z.object({ source: z.string().min(1), text: localisedSchema });
export type SyntheticDeclaration = z.infer<typeof syntheticDeclarationSchema>;

const summarySchema = z.object({ synthetic: syntheticDeclarationSchema.optional() });

/** The declaration of the first loaded data set whose figures are synthetic; null when every figure here is real. */
export async function syntheticFigures(store: Store): Promise<SyntheticDeclaration | null> {
  for (const d of await new DatasetsRepository(store.db).list()) {
    let summary: unknown;
    try {
      summary = JSON.parse(d.summary);
    } catch {
      // A summary that is not JSON declares nothing.
      continue;
    }
    const parsed = summarySchema.safeParse(summary);
    if (parsed.success && parsed.data.synthetic) return parsed.data.synthetic;
  }
  return null;
}
