package dev.parley.ops.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One part of the system under test in its own JVM ({@link BenchNode} with a role), so its CPU, heap and GC
 * are its own and the load generator steals none of them. It prints {@code BENCH_READY k=v ...} when up and
 * answers {@code stats} / {@code gc} on its standard input; everything else it prints goes to a log file.
 */
final class ChildProcess implements AutoCloseable {

    private final String role;
    private final Process process;
    private final CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();
    private final BlockingQueue<String> stats = new LinkedBlockingQueue<>();
    private final PrintWriter in;
    private final List<String> tail = new ArrayList<>();

    private ChildProcess(String role, Process process, Path log) throws IOException {
        this.role = role;
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        OutputStream logOut = Files.newOutputStream(log);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 logOut) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("BENCH_READY")) {
                        ready.complete(parse(line.substring("BENCH_READY".length())));
                    } else if (line.startsWith("BENCH_STATS")) {
                        stats.add(line.substring("BENCH_STATS".length()));
                    } else {
                        logOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        synchronized (tail) {
                            tail.add(line);
                            if (tail.size() > 40) {
                                tail.remove(0);
                            }
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException(role + " exited before it was ready:\n" + tail()));
        }, "bench-child-" + role);
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * @param jvmArgs e.g. {@code -Xmx1g}; the classpath is this JVM's
     */
    static ChildProcess start(String role, Map<String, String> env, List<String> jvmArgs, Path logDir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.parley,java.lang,java.util,java.math,java.time");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchNode.class.getName());
        cmd.add(role);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Files.createDirectories(logDir);
        return new ChildProcess(role, pb.start(), logDir.resolve(role + ".log"));
    }

    String role() {
        return role;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the ready line and returns its key=value pairs. */
    Map<String, String> awaitReady(Duration timeout) throws Exception {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(role + " not ready within " + timeout.toSeconds() + " s:\n" + tail());
        }
    }

    /** The child's counters now ({@code gc}: after full collections, for the live heap). */
    ProcessStats stats(boolean gc) {
        stats.clear();
        in.println(gc ? "gc" : "stats");
        try {
            String line = stats.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException(role + " did not answer a stats request");
            }
            return ProcessStats.decode(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    static Map<String, String> parse(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : s.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    /** Asks for a clean stop (JFR recordings are dumped on exit), then kills after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        in.println("quit");
        try {
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
