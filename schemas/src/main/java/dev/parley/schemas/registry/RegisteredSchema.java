package dev.parley.schemas.registry;

import org.apache.avro.Schema;

/** A schema as the registry knows it: under a subject, with a version and a global id. */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
