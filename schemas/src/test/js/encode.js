// Registers an Avro schema under <topic>-value through Confluent's official JavaScript client
// (@confluentinc/schemaregistry), then serializes one record with that client's AvroSerializer using the
// subject's latest version (the one just registered).
// Usage: node encode.js <registry-url> <topic> <schema-file> <record-json-file>
// Prints one line "RESULT {"id":<registered id>,"bytes":"<base64 of the serialized record>"}".
'use strict';
const fs = require('fs');
const { SchemaRegistryClient, AvroSerializer, SerdeType } = require('@confluentinc/schemaregistry');

async function main() {
  const [url, topic, schemaFile, recordFile] = process.argv.slice(2);
  if (!url || !topic || !schemaFile || !recordFile) {
    throw new Error('usage: node encode.js <registry-url> <topic> <schema-file> <record-json-file>');
  }
  const client = new SchemaRegistryClient({ baseURLs: [url] });
  const schema = fs.readFileSync(schemaFile, 'utf8');
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  const id = await client.register(topic + '-value', { schemaType: 'AVRO', schema: schema });
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const bytes = await serializer.serialize(topic, record);
  process.stdout.write('RESULT ' + JSON.stringify({ id: id, bytes: bytes.toString('base64') }) + '\n');
}

main().catch((err) => {
  process.stderr.write('encode failed: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
