package dev.parley.ops.tools;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text scrape, with sums over a series' label sets. */
record Scrape(String text) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);

    static Scrape of(URI metrics) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(metrics + " answered " + r.statusCode() + ": " + r.body());
            }
            return new Scrape(r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sum of every sample of {@code name} whose labels contain all of {@code labelFragments}; -1 if none. */
    double sum(String name, String... labelFragments) {
        Matcher m = SAMPLE.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            String labels = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String f : labelFragments) {
                all &= labels.contains(f);
            }
            if (all) {
                found = true;
                double v = Double.parseDouble(m.group(3));
                sum += Double.isNaN(v) ? 0 : v;
            }
        }
        return found ? sum : -1;
    }

    boolean has(String name) {
        return sum(name) >= 0;
    }

    /** Names of the series that start with {@code prefix}. */
    java.util.Set<String> names(String prefix) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
