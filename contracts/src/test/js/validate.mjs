// Validates Parley's contract documents with the official parsers and prints one RESULT line:
//   node validate.mjs <asyncapi.yaml> <openapi.yaml>
// AsyncAPI: @asyncapi/parser (with the Avro schema parser for the Kafka topics' $ref'd .avsc files);
// OpenAPI: @apidevtools/swagger-parser (OpenAPI 3.1).
import { Parser, fromFile } from '@asyncapi/parser';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import SwaggerParser from '@apidevtools/swagger-parser';

const [asyncapiPath, openapiPath] = process.argv.slice(2);
const result = { asyncapi: { errors: [], warnings: [] }, openapi: { errors: [] } };

const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
const { document, diagnostics } = await fromFile(parser, asyncapiPath).parse();
for (const d of diagnostics) {
  const line = `${d.code}: ${d.message} at ${JSON.stringify(d.path)}`;
  // severity 0 = error, 1 = warning; the parser's own "use the newest version" hint is informational
  (d.severity === 0 ? result.asyncapi.errors : result.asyncapi.warnings).push(line);
}
if (!document && result.asyncapi.errors.length === 0) {
  result.asyncapi.errors.push('the parser returned no document');
}
if (document) {
  result.asyncapi.channels = document.channels().all().map((c) => c.address());
  result.asyncapi.messages = document.allMessages().all().length;
}

try {
  const api = await SwaggerParser.validate(openapiPath);
  result.openapi.paths = Object.keys(api.paths || {}).length;
  result.openapi.version = api.openapi;
} catch (e) {
  result.openapi.errors.push(String(e.message || e));
}
console.log('RESULT ' + JSON.stringify(result));
