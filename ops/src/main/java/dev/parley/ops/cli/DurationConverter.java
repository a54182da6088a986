package dev.parley.ops.cli;

import dev.parley.schemas.config.Env;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT30S}), as everywhere in Parley's settings. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Env.parseDuration(value.trim());
    }
}
