// Decodes one Confluent-wire-format Avro record with Confluent's official JavaScript client
// (@confluentinc/schemaregistry), fetching the writer schema from the registry by the id in the header.
// Usage: node decode.js <registry-url> <topic> <base64-bytes>
// Prints one line "RESULT <json>" with the decoded record (avsc's JSON form: unions of records are wrapped
// by the branch's full name).
'use strict';
const { SchemaRegistryClient, AvroDeserializer, SerdeType } = require('@confluentinc/schemaregistry');

async function main() {
  const [url, topic, base64] = process.argv.slice(2);
  if (!url || !topic || !base64) {
    throw new Error('usage: node decode.js <registry-url> <topic> <base64-bytes>');
  }
  const client = new SchemaRegistryClient({ baseURLs: [url] });
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const value = await deserializer.deserialize(topic, Buffer.from(base64, 'base64'));
  process.stdout.write('RESULT ' + JSON.stringify(value) + '\n');
}

main().catch((err) => {
  process.stderr.write('decode failed: ' + (err && err.stack ? err.stack : err) + '\n');
  process.exit(1);
});
