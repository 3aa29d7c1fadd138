import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetsRepository, type Store } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { TEST_NOW } from '../../testing';
import { syntheticFigures } from './synthetic';

const NOTICE = { vi: 'Số liệu minh họa', en: 'Demonstration figures' };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`figures declared synthetic on ${engine.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => store?.close());

    it('are none while every data set loaded says nothing of its figures, whatever it is named', async () => {
      const datasets = new DatasetsRepository(store.db);
      await datasets.record('pci', 'a', TEST_NOW, JSON.stringify({ detail: '756 observations' }));
      // A data set named like the demo's proves nothing: only a declaration does.
      await datasets.record('demo-data', 'b', TEST_NOW, JSON.stringify({ detail: '1200 observations' }));
      await datasets.record('geography', 'c', TEST_NOW, 'not JSON');
      expect(await syntheticFigures(store)).toBeNull();
    });

    it('are what a loaded data set declares: its source and its notice', async () => {
      await new DatasetsRepository(store.db).record('demo-data', 'b', TEST_NOW, JSON.stringify({ detail: '1200 observations', synthetic: { source: 'demo-generator (synthetic)', text: NOTICE } }));
      expect(await syntheticFigures(store)).toEqual({ source: 'demo-generator (synthetic)', text: NOTICE });
    });
  });
}
