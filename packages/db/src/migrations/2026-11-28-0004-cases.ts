import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Cases (tình huống, phản ánh): their categories with service level,
 * routing and procedure (SOP), the cases themselves, a timeline of every
 * change and comment, and the SOP steps of each case. A case keeps the
 * place version valid when it was received (facts keep the place of their
 * time); the reporter's contact is private and stored apart from what is
 * answered.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('case_category')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name_vi', 'text', notNull)
      .addColumn('name_en', 'text', notNull)
      .addColumn('description', 'text')
      .addColumn('group_name', 'text', notNull)
      .addColumn('keywords', jsonType(engine), notNull)
      .addColumn('service_level_hours', real, notNull)
      .addColumn('default_org_code', 'text', notNull)
      .addColumn('routes', jsonType(engine), notNull)
      .addColumn('sop', jsonType(engine), notNull)
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();

    await withId(db.schema.createTable('case'), engine)
      .addColumn('public_id', 'text', (c) => c.notNull().unique())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('category_code', 'text', (c) => c.notNull().references('case_category.code'))
      .addColumn('title', 'text', notNull)
      .addColumn('description', 'text')
      .addColumn('lat', real, notNull)
      .addColumn('lon', real, notNull)
      .addColumn('place_id', 'integer', (c) => c.references('place.id'))
      .addColumn('place_code', 'text')
      .addColumn('province_code', 'text')
      .addColumn('address', 'text')
      .addColumn('media', jsonType(engine), notNull)
      .addColumn('reporter', jsonType(engine))
      .addColumn('channel', 'text', notNull)
      .addColumn('priority', 'text', notNull)
      .addColumn('org_code', 'text')
      .addColumn('status', 'text', notNull)
      .addColumn('received_at', instantType(engine), notNull)
      .addColumn('deadline_at', instantType(engine), notNull)
      .addColumn('satisfaction', 'integer')
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('case_status_deadline').on('case').columns(['status', 'deadline_at']).execute();
    await db.schema.createIndex('case_org').on('case').columns(['org_code', 'status']).execute();
    await db.schema.createIndex('case_place').on('case').columns(['place_code', 'received_at']).execute();
    await db.schema.createIndex('case_province').on('case').columns(['province_code', 'received_at']).execute();
    await db.schema.createIndex('case_category_received').on('case').columns(['category_code', 'received_at']).execute();

    await withId(db.schema.createTable('case_event'), engine)
      .addColumn('case_id', 'integer', (c) => c.notNull().references('case.id').onDelete('cascade'))
      .addColumn('at', instantType(engine), notNull)
      .addColumn('actor', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('before_value', 'text')
      .addColumn('after_value', 'text')
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('case_event_case').on('case_event').columns(['case_id', 'id']).execute();

    await withId(db.schema.createTable('case_sop_step'), engine)
      .addColumn('case_id', 'integer', (c) => c.notNull().references('case.id').onDelete('cascade'))
      .addColumn('step', 'integer', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('role', 'text', notNull)
      .addColumn('expected_minutes', 'integer', notNull)
      .addColumn('done_at', instantType(engine))
      .addColumn('done_by', 'text')
      .addUniqueConstraint('case_sop_step_key', ['case_id', 'step'])
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['case_sop_step', 'case_event', 'case', 'case_category']) await db.schema.dropTable(t).ifExists().execute();
  };
}
