// Validates an OpenAPI document against the OpenAPI 3.0 JSON schema, and resolves every $ref
// in it: node validate_openapi.mjs docs/openapi.yaml
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
try {
  const api = await SwaggerParser.validate(file);
  const operations = Object.values(api.paths).flatMap((item) =>
    Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)));
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ` +
              `${operations.length} operations`);
} catch (error) {
  console.error(`${file}: ${error.message}`);
  process.exit(1);
}
