package dev.parley.connect.converter;

import dev.parley.schemas.serde.SerdeConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The settings {@link ParleyAvroConverter} reads, under Confluent's names (so a Confluent AvroConverter
 * configuration carries over). Parsing and defaults are {@link SerdeConfig}'s; this is what Connect shows in
 * validation and docs.
 */
public final class ParleyAvroConverterConfig {

    public static final ConfigDef DEF = new ConfigDef()
            .define(SerdeConfig.SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Comma-separated base URLs of a Confluent-API-compatible schema registry (or mock://<scope> in tests).")
            .define(SerdeConfig.AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Writing only: register the Avro schema of outgoing data (else look it up and fail when absent).")
            .define(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, "URL", Importance.LOW,
                    "URL (user:password in the URL) or USER_INFO (basic.auth.user.info).")
            .define(SerdeConfig.BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                    "user:password for the registry when basic.auth.credentials.source=USER_INFO.")
            .define(SerdeConfig.KEY_SUBJECT_NAME_STRATEGY, Type.STRING, null, Importance.LOW,
                    "Subject strategy for keys: TopicNameStrategy (default), RecordNameStrategy, TopicRecordNameStrategy.")
            .define(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, Type.STRING, null, Importance.LOW,
                    "Subject strategy for values: TopicNameStrategy (default), RecordNameStrategy, TopicRecordNameStrategy.")
            .define(SerdeConfig.REQUEST_TIMEOUT_MS, Type.LONG, 10_000L, Importance.LOW,
                    "Timeout of one registry request, in ms.");

    private ParleyAvroConverterConfig() {
    }
}
