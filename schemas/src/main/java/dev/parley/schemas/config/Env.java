package dev.parley.schemas.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Reads typed settings from environment variables (or any map of them), with defaults that work
 * locally. Every Parley setting is named {@code PARLEY_*}; docs/operations.md lists them all.
 */
public final class Env {

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(Objects.requireNonNull(vars));
    }

    /** The process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    public String str(String name, String defaultValue) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public int integer(String name, int defaultValue) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
        }
    }

    public long longValue(String name, long defaultValue) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        };
    }

    /** A duration written as ISO-8601 ({@code PT24H}) or as a number with a unit: {@code 20ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}. */
    public Duration duration(String name, Duration defaultValue) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return parseDuration(v.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration like 20ms, 30s, 5m, 24h, 7d or PT24H, got '" + v + "'", e);
        }
    }

    /**
     * Every variable starting with {@code prefix}, as client properties: {@code PARLEY_KAFKA_SASL_MECHANISM=PLAIN}
     * with prefix {@code PARLEY_KAFKA_} becomes {@code sasl.mechanism=PLAIN}. This is how platform teams pass
     * security and tuning settings Parley does not model.
     */
    public Map<String, String> passThrough(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        vars.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length() && v != null) {
                out.put(k.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        return out;
    }

    public static Duration parseDuration(String v) {
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v);
        }
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no number in '" + v + "'");
        }
        long n = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).trim();
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
    }
}
