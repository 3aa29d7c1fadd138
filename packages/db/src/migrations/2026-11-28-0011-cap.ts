import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * CAP 1.2 messages received from other agencies: the document as received
 * (XML) and as read (JSON), how each of its areas mapped onto our places,
 * and which later message replaced or withdrew it. A message is known by
 * sender × identifier × sent (CAP's own key), so a resent document is not
 * stored twice. `cap_message_place` lists the place versions each message
 * covers, for "alerts in this commune". `alert_id` is the alert a message
 * raised, updated or cancelled (the references chain shares one alert).
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('cap_message'), engine)
      .addColumn('sender', 'text', notNull)
      .addColumn('identifier', 'text', notNull)
      .addColumn('sent', 'text', notNull)
      .addColumn('sent_at', instantType(engine), notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('msg_type', 'text', notNull)
      .addColumn('scope', 'text', notNull)
      .addColumn('severity', 'text', notNull)
      .addColumn('expires_at', instantType(engine))
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('xml', 'text', notNull)
      .addColumn('areas', jsonType(engine), notNull)
      .addColumn('received_at', instantType(engine), notNull)
      .addColumn('replaced_by', 'integer', (c) => c.references('cap_message.id'))
      .addColumn('cancelled_at', instantType(engine))
      .addColumn('alert_id', 'integer', (c) => c.references('alert.id').onDelete('set null'))
      .addUniqueConstraint('cap_message_key', ['sender', 'identifier', 'sent'])
      .execute();
    await db.schema.createIndex('cap_message_scope_received').on('cap_message').columns(['scope', 'received_at']).execute();
    await db.schema.createIndex('cap_message_alert').on('cap_message').columns(['alert_id']).execute();
    await db.schema.createIndex('cap_message_sender_identifier').on('cap_message').columns(['sender', 'identifier']).execute();

    await db.schema
      .createTable('cap_message_place')
      .addColumn('message_id', 'integer', (c) => c.notNull().references('cap_message.id').onDelete('cascade'))
      .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id'))
      .addColumn('place_code', 'text', notNull)
      .addPrimaryKeyConstraint('cap_message_place_pk', ['message_id', 'place_id'])
      .execute();
    await db.schema.createIndex('cap_message_place_code').on('cap_message_place').columns(['place_code']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['cap_message_place', 'cap_message']) await db.schema.dropTable(t).ifExists().execute();
  };
}
